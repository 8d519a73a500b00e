package io.ipckit.cluster.internal.pool;

import java.util.concurrent.TimeUnit;

/**
 * How many cluster tasks a node may take: one per free worker, and while a stream of short tasks goes on,
 * more ahead, so that its local pool does not wait for the cluster between two tasks and the node takes
 * them in batches.
 *
 * <ul>
 * <li>What a node holds (taken, not completed) is at most its workers plus about
 *     {@link #AHEAD_BUDGET_NANOS} of work per worker by the run time it measured for its recent tasks (at
 *     most {@link #MAX_AHEAD_PER_WORKER} per worker, none before it measured any): tasks of a few
 *     milliseconds or more are taken only for free workers, and left on the queue to the other nodes.</li>
 * <li>It takes ahead only as its tasks complete: each completion lets it take two more (one in its place,
 *     one ahead), until the bound. When it finds the queue empty it starts again from its free workers
 *     ({@link #restart}). So tasks of a new, longer kind arriving together after short ones are shared by
 *     the nodes waiting for them instead of going to the first one in a batch.</li>
 * <li>A task's run time is estimated when it completes, from when it could start: its local submit, or the
 *     completion that freed a worker for it (the local pool runs them in order); a longer task than the
 *     estimate raises it at once, shorter ones lower it gradually.</li>
 * </ul>
 *
 * <p>Thread role: any thread (the node's taker reserves, the local pool's result thread completes); every
 * method holds this object's monitor briefly. {@link #awaitRoom} and {@link #awaitEmpty} block, bounded.
 */
final class TakeWindow {
    /** The work a node holds ahead of its running tasks, per worker, in nanoseconds of measured run time. */
    static final long AHEAD_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** The most tasks a node holds ahead, per worker. */
    static final int MAX_AHEAD_PER_WORKER = 64;

    private final int workers;
    /** Completion times of the last {@code workers} local tasks, a ring. */
    private final long[] completions;
    private int next;
    /** Tasks taken or reserved and not completed. */
    private int held;
    /** Tasks that may be taken beyond the free workers, earned by completions. */
    private int credit;
    /** Estimated run time of one task (nanoseconds); 0: none measured yet. */
    private long runNanos;

    TakeWindow(int workers) {
        this.workers = workers;
        this.completions = new long[workers];
    }

    /** The most tasks this node may hold now. */
    synchronized int limit() {
        if (runNanos == 0) {
            return workers;
        }
        long ahead = Math.min((long) MAX_AHEAD_PER_WORKER * workers, workers * AHEAD_BUDGET_NANOS / runNanos);
        return workers + (int) ahead;
    }

    private int room() {
        return Math.min(limit() - held, Math.max(0, workers - held) + credit);
    }

    /**
     * Waits up to {@code millis} for room, then reserves it: the number of tasks the caller may take now
     * (give back what it does not take with {@link #release}), or 0 when there was none in time.
     */
    synchronized int awaitRoom(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        int room;
        while ((room = room()) <= 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return 0;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        held += room;
        credit = 0;
        return room;
    }

    /**
     * The queue was found empty: the stream of tasks ended, what was earned ahead is dropped; reserves the
     * free workers' places (possibly 0), as {@link #awaitRoom} does, without waiting.
     */
    synchronized int restart() {
        credit = 0;
        int room = Math.max(0, Math.min(limit(), workers) - held);
        held += room;
        return room;
    }

    /** Gives back {@code n} places reserved and not used (or of tasks that will not complete locally). */
    synchronized void release(int n) {
        if (n > 0) {
            held -= n;
            notifyAll();
        }
    }

    /** A task held here completed in the local pool; {@code submittedAt}: System.nanoTime() of its submit. */
    synchronized void completed(long submittedAt) {
        long now = System.nanoTime();
        long freedBy = completions[next]; // the completion that freed a worker for it, in order
        completions[next] = now;
        next = (next + 1) % workers;
        long started = freedBy - submittedAt > 0 ? freedBy : submittedAt;
        long sample = Math.max(1, now - started);
        runNanos = runNanos == 0 || sample > runNanos ? sample : runNanos + (sample - runNanos) / 8;
        held--;
        credit = Math.min(credit + 2, limit());
        notifyAll();
    }

    /** Waits up to {@code millis} until nothing is held; whether it came to that. */
    synchronized boolean awaitEmpty(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (held > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
