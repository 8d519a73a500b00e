package io.ipckit.core.internal.manager.client;

import io.ipckit.core.internal.manager.protocol.Protocol;

import java.util.concurrent.TimeUnit;

/**
 * Client side of the blocking operations (locks, semaphores, conditions, events, barriers): a wait is a
 * loop of requests, each a server-side wait of at most {@link #SLICE_MILLIS}. Between slices the caller
 * checks interruption; during one, {@link ManagerClient} notices the manager's death (within
 * {@link ManagerClient#LIVENESS_MILLIS} ms). The three loops of the synchronizers, untimed and
 * interruptible, untimed and uninterruptible, and timed, are written here once; the fairness of a wait is
 * the manager's (its queue keeps a waiter's place only while its request waits there). Run by the
 * calling thread of the handle; stateless, so any number of threads may use it.
 */
public final class WaitSlices {
    /**
     * Longest server-side wait of one request: at most {@link Protocol#MAX_WAIT_SLICE_MILLIS}, and short
     * enough that an interrupted waiter gives up promptly.
     */
    public static final long SLICE_MILLIS = Math.min(250, Protocol.MAX_WAIT_SLICE_MILLIS);

    private WaitSlices() {
    }

    /**
     * One server-side wait of a synchronizer: asks the manager for {@code count} (permits, or ignored) for at
     * most {@code millis} ms (0: do not wait). Implemented by a non-capturing lambda of the handle's class,
     * so a wait makes no object.
     *
     * @param <H> the handle
     */
    @FunctionalInterface
    public interface Attempt<H> {
        /** @return true when granted, false when {@code millis} passed first */
        boolean attempt(H handle, int count, long millis);
    }

    /**
     * Waits slice after slice until {@code attempt} is granted. Checks interruption before each slice.
     *
     * @param verb the operation, for the message ("lockInterruptibly", "await"...)
     * @param what the object waited on, for the message (its {@code toString()}: "lock 'jobs'"), read only
     *             when interrupted
     * @throws InterruptedException when interrupted before it was granted (nothing is held then)
     * @throws io.ipckit.core.ManagerGoneException when the manager dies or is gone
     */
    public static <H> void interruptibly(Attempt<H> attempt, H handle, int count, String verb, Object what)
            throws InterruptedException {
        while (true) {
            checkInterrupt(verb, what);
            if (attempt.attempt(handle, count, SLICE_MILLIS)) {
                return;
            }
        }
    }

    /**
     * Waits slice after slice until {@code attempt} is granted. An interrupt is remembered, cleared so the
     * client's wait parks instead of spinning, and re-asserted on return (also when it throws).
     *
     * @throws io.ipckit.core.ManagerGoneException when the manager dies or is gone
     */
    public static <H> void uninterruptibly(Attempt<H> attempt, H handle, int count) {
        boolean interrupted = false;
        try {
            while (true) {
                interrupted |= Thread.interrupted();
                if (attempt.attempt(handle, count, SLICE_MILLIS)) {
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits slice after slice until {@code attempt} is granted or {@code totalNanos} since
     * {@code startNanos} passed; a wait whose time is up still makes one last attempt that does not wait
     * (a {@code tryLock(0, unit)} takes a free lock). Checks interruption before each slice.
     *
     * @return true when granted, false when the time passed first
     * @throws InterruptedException when interrupted before it was granted
     * @throws io.ipckit.core.ManagerGoneException when the manager dies or is gone
     */
    public static <H> boolean timed(Attempt<H> attempt, H handle, int count, long startNanos, long totalNanos,
                                    String verb, Object what) throws InterruptedException {
        while (true) {
            checkInterrupt(verb, what);
            long slice = nextSlice(startNanos, totalNanos);
            if (attempt.attempt(handle, count, slice)) {
                return true;
            }
            if (slice == 0 || expired(startNanos, totalNanos)) {
                return false;
            }
        }
    }

    private static void checkInterrupt(String verb, Object what) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException(verb + " on " + what + " interrupted");
        }
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
