package io.ipckit.core;

/**
 * Python's {@code queue.Full}: thrown by {@link SharedQueue#putNowait(Object)}, by
 * {@link SharedQueue#put(Object, long, java.util.concurrent.TimeUnit)} when no room came in time, and by
 * {@link SharedQueue#add(Object)} on a full queue (it is the {@code IllegalStateException} the
 * {@code Queue} contract asks for). Nothing was put; the queue stays usable.
 */
public class FullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the queue and its bound. */
    public FullException(String message) {
        super(message);
    }
}
