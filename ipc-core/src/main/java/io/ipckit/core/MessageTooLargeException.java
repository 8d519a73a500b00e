package io.ipckit.core;
public class MessageTooLargeException extends SerializationException {
    public MessageTooLargeException(String m) { super(m); }
}
