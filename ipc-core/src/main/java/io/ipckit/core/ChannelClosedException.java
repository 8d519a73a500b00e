package io.ipckit.core;

/**
 * Thrown by a call on a channel, queue or space handle that is closed, including to callers that were
 * blocked in it when it was closed.
 */
public class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the closed object. */
    public ChannelClosedException(String message) {
        super(message);
    }
}
