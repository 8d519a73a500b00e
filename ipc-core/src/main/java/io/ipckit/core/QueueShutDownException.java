package io.ipckit.core;

/**
 * Thrown by a {@link SharedQueue} that was {@link SharedQueue#shutdown(boolean) shut down} (Python 3.13's
 * {@code queue.ShutDown}): by every put, and by a get when the queue is empty (at once after an immediate
 * shutdown, which emptied it). Callers blocked in the queue wake with it. Nothing was put or taken.
 */
public class QueueShutDownException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the queue. */
    public QueueShutDownException(String message) {
        super(message);
    }
}
