package io.ipckit.core;

/**
 * An encoded value would exceed the codec's {@link Codec#maxMessageBytes() size limit}. The
 * message names the value's class, the limit and how to raise it
 * ({@code Codec.builder().maxMessageBytes(...)}).
 */
public class MessageTooLargeException extends SerializationException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was too large, the limit and the fix
     */
    public MessageTooLargeException(String message) {
        super(message);
    }
}
