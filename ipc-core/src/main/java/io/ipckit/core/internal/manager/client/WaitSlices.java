package io.ipckit.core.internal.manager.client;

import io.ipckit.core.internal.manager.protocol.Protocol;

import java.util.concurrent.TimeUnit;

/**
 * Client side of the blocking operations (locks, semaphores, conditions, events, barriers): a wait is a
 * loop of requests, each a server-side wait of at most {@link #SLICE_MILLIS}. Between slices the caller
 * checks interruption; during one, {@link ManagerClient} notices the manager's death.
 */
public final class WaitSlices {
    /**
     * Longest server-side wait of one request: at most {@link Protocol#MAX_WAIT_SLICE_MILLIS}, and short
     * enough that an interrupted waiter gives up promptly.
     */
    public static final long SLICE_MILLIS = Math.min(250, Protocol.MAX_WAIT_SLICE_MILLIS);

    private WaitSlices() {
    }

    /** The owner id of the calling thread, as sent with lock operations. */
    public static long threadId() {
        return Thread.currentThread().getId();
    }

    /**
     * The server-side wait of the next request of a wait that began at {@code startNanos} and may last
     * {@code totalNanos}: 0 (do not wait) once it has passed, else between 1 ms and {@link #SLICE_MILLIS}.
     */
    public static long nextSlice(long startNanos, long totalNanos) {
        long remaining = totalNanos - (System.nanoTime() - startNanos);
        if (remaining <= 0) {
            return 0;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(remaining);
        if (TimeUnit.MILLISECONDS.toNanos(millis) < remaining) {
            millis++;
        }
        return Math.max(1, Math.min(SLICE_MILLIS, millis));
    }

    /** Whether a wait that began at {@code startNanos} and may last {@code totalNanos} is over. */
    public static boolean expired(long startNanos, long totalNanos) {
        return System.nanoTime() - startNanos >= totalNanos;
    }
}
