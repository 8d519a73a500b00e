package io.ipckit.pool.internal.caller;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool's lifecycle: its state, who may still submit, and the two moments others wait for (every
 * worker ready, everything released).
 *
 * <pre>
 * RUNNING --close--> CLOSING --nothing pending, no submit under way, no lease--> STOPPING --all workers gone--> TERMINATED
 *    |                  |                                                           |                              ^
 *    +------------------+------------terminate, or the pool broke------------> TERMINATING --all workers gone-----+
 * </pre>
 *
 * Submitters count themselves in ({@link #enterSubmit}) before they look at the state, so the result
 * thread, which moves CLOSING to STOPPING only when no submit is under way, never stops the workers
 * under a task being queued. Transitions are made under a lock and the state is volatile.
 *
 * <p>Thread role: any thread. Each method is for any thread and does not block, except the
 * {@code await} methods, which wait as their names say.
 */
final class Lifecycle {
    static final int RUNNING = 0;
    static final int CLOSING = 1;
    static final int STOPPING = 2;
    static final int TERMINATING = 3;
    static final int TERMINATED = 4;

    private final String pool;
    private final Object lock = new Object();
    private final AtomicInteger submitting = new AtomicInteger();
    private final AtomicInteger leases = new AtomicInteger();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile int state = RUNNING;
    private volatile Throwable brokenBy;

    Lifecycle(String pool) {
        this.pool = pool;
    }

    int state() {
        return state;
    }

    /** Whether submissions are accepted. */
    boolean isRunning() {
        return state == RUNNING;
    }

    /** Whether close or terminate was called. */
    boolean isShutdown() {
        return state != RUNNING;
    }

    /** Whether the pool stopped and released everything. */
    boolean isTerminated() {
        return state == TERMINATED;
    }

    /** Whether terminate was called (or the pool broke). */
    boolean isTerminating() {
        return state >= TERMINATING;
    }

    /** Completed when every worker is ready; completed exceptionally when the pool cannot start. */
    CompletableFuture<Void> started() {
        return started;
    }

    /** Completed when the pool released everything. */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    /**
     * Counts a submit in; pair with {@link #exitSubmit()} in a finally block.
     *
     * @param leased the submitter holds a {@link #lease()}: allowed while CLOSING
     * @throws IllegalStateException when the pool does not accept it (nothing is counted then)
     */
    void enterSubmit(boolean leased) {
        submitting.incrementAndGet();
        int s = state;
        if (s == RUNNING || (leased && s == CLOSING)) {
            return;
        }
        submitting.decrementAndGet();
        throw notRunning();
    }

    void exitSubmit() {
        submitting.decrementAndGet();
    }

    /**
     * Takes a lease that lets a producer go on submitting while CLOSING.
     *
     * @throws IllegalStateException when the pool is not running
     */
    void lease() {
        enterSubmit(false);
        try {
            leases.incrementAndGet();
        } finally {
            exitSubmit();
        }
    }

    /** Releases a {@link #lease()}. */
    void release() {
        leases.decrementAndGet();
    }

    /** Whether a lease is held. */
    boolean leased() {
        return leases.get() > 0;
    }

    /** No submit under way and no lease held: nothing more can be queued once CLOSING. */
    boolean quiescent() {
        return submitting.get() == 0 && leases.get() == 0;
    }

    /** RUNNING to CLOSING; no effect in any other state. */
    void close() {
        synchronized (lock) {
            if (state == RUNNING) {
                state = CLOSING;
            }
        }
    }

    /** CLOSING to STOPPING. @return whether this call made the move */
    boolean beginStopping() {
        synchronized (lock) {
            if (state != CLOSING) {
                return false;
            }
            state = STOPPING;
            return true;
        }
    }

    /**
     * To TERMINATING, unless there already or beyond.
     *
     * @param cause what broke the pool, or null for a terminate call
     * @return whether this call made the move
     */
    boolean terminate(Throwable cause) {
        synchronized (lock) {
            if (state >= TERMINATING) {
                return false;
            }
            brokenBy = cause;
            state = TERMINATING;
            return true;
        }
    }

    /** To TERMINATED: the pool released everything but has not said so yet ({@link #terminated()}). */
    void finished() {
        synchronized (lock) {
            state = TERMINATED;
        }
    }

    /** Why a submit is refused, naming the pool, how it ended and the fix. */
    IllegalStateException notRunning() {
        Throwable cause = brokenBy;
        String how = cause != null ? "broken (" + cause + ")"
                : state >= TERMINATING ? "terminated" : "closed";
        return new IllegalStateException("pool is not running: pool '" + pool + "' was " + how
                + "; submit tasks before close(), or create a new pool", cause);
    }

    /** How a task fails that the pool's end left incomplete. */
    CancellationException cancelled() {
        Throwable cause = brokenBy;
        CancellationException e = new CancellationException(cause != null
                ? "pool '" + pool + "' broke before the task completed: " + cause
                : "pool '" + pool + "' was terminated before the task completed");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /**
     * Waits until the pool released everything.
     *
     * @return false when the timeout passed first
     */
    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            terminated.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** Waits up to {@code millis} for the end, keeping an interrupt for the caller. */
    void awaitQuietly(long millis) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!terminated.isDone()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                terminated.get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the pool has terminated; the first interrupt runs {@code onInterrupt} (which should
     * terminate it) and the interrupt status is restored on return.
     */
    void awaitTerminationUninterruptibly(Runnable onInterrupt) {
        boolean interrupted = false;
        while (!isTerminated()) {
            try {
                awaitTermination(1, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    interrupted = true;
                    onInterrupt.run();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
