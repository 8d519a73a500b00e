package io.ipckit.core;

/**
 * Thrown by a {@link Connection} of a {@link Pipe} when its other end is closed: by {@code recv} once
 * every message sent before the close was received (Python's {@code EOFError}), and by {@code send}
 * (Python's {@code BrokenPipeError}). An end is closed when the last process that used it closed it, or
 * when every process that used it died. Nothing was sent or received.
 */
public class PipeClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the pipe and the end. */
    public PipeClosedException(String message) {
        super(message);
    }
}
