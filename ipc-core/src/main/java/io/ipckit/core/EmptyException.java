package io.ipckit.core;

import java.util.NoSuchElementException;

/**
 * Python's {@code queue.Empty}: thrown by {@link SharedQueue#getNowait()}, by
 * {@link SharedQueue#get(long, java.util.concurrent.TimeUnit)} when nothing came in time, and by
 * {@link SharedQueue#remove()} on an empty queue. The queue stays usable.
 */
public class EmptyException extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the queue. */
    public EmptyException(String message) {
        super(message);
    }
}
