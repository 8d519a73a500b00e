package io.ipckit.cluster.internal.pool;

import io.ipckit.pool.internal.caller.PoolLog;
import io.ipckit.pool.internal.caller.Sink;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A cluster pool caller's tasks submitted and not completed, by number. Any thread adds and looks; a task is
 * completed (taken out and its sink called) only on the engine's result thread, so exactly once: a reply or
 * a failure for a task already completed finds nothing and is dropped.
 */
final class InFlight {
    /** One task. The final fields are any thread's; {@code attempts}: the result thread's. */
    static final class Task {
        final long seq;
        final Sink sink;
        /** Its sealed envelope, as put on the task queue (kept for a retry and to look for it there). */
        final byte[] sealed;
        /** What the caller submitted, for {@code terminateNow}. */
        final Object original;
        int attempts;
        /** The node that reported taking it (STARTED), or null. */
        volatile Wire.NodeRef node;
        /** When the sender put it on the task queue (System.nanoTime(); 0: not yet). */
        volatile long sentAt;
        /**
         * When this task was last charged with a node's departure ({@link NodeLoss}; System.nanoTime(), 0:
         * never): a STARTED arriving later from a member that had left before then is about an attempt
         * already retried or failed.
         */
        volatile long lostAt;

        Task(long seq, Sink sink, byte[] sealed, Object original) {
            this.seq = seq;
            this.sink = sink;
            this.sealed = sealed;
            this.original = original;
        }
    }

    private final PoolLog log;
    private final ConcurrentHashMap<Long, Task> tasks = new ConcurrentHashMap<>();

    InFlight(String pool) {
        this.log = new PoolLog(pool);
    }

    void add(Task t) {
        tasks.put(t.seq, t);
    }

    Task get(long seq) {
        return tasks.get(seq);
    }

    /** Forgets task {@code seq} without completing it (cancel); the removed task or null. Any thread. */
    Task remove(long seq) {
        return tasks.remove(seq);
    }

    boolean remove(Task t) {
        return tasks.remove(t.seq, t);
    }

    /** A snapshot of the tasks. Any thread. */
    List<Task> snapshot() {
        return List.copyOf(tasks.values());
    }

    int size() {
        return tasks.size();
    }

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** Completes task {@code seq} once; later calls for it do nothing. Result thread. */
    void complete(long seq, Object[] values, Throwable error) {
        Task t = tasks.remove(seq);
        if (t == null) {
            return;
        }
        try {
            t.sink.complete(values, error);
        } catch (RuntimeException e) {
            log.report("completing task " + seq, e);
        }
    }

    /** Completes every task with an error from {@code error}. Result thread. */
    void failAll(Supplier<Throwable> error) {
        for (Task t : snapshot()) {
            complete(t.seq, new Object[0], error.get());
        }
    }
}
