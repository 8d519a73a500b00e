package io.ipckit.core;
public class SerializationException extends RuntimeException {
    public SerializationException(String m) { super(m); }
    public SerializationException(String m, Throwable c) { super(m, c); }
}
