package io.ipckit.core;

/**
 * A value could not be encoded or decoded by a {@link Codec}. The message names the class
 * involved and, where there is one, the fix.
 */
public class SerializationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the class involved and the fix
     */
    public SerializationException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the class involved and the fix
     * @param cause the underlying failure
     */
    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
