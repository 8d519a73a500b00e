package io.ipckit.pool.internal.caller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The tasks submitted and not completed yet, by number, each with the {@link Sink} that gets its outcome.
 * A task leaves the table exactly once: completed by the result thread, cancelled by a caller, or failed
 * when the pool ends; whoever removes it owns its completion.
 *
 * <p>Thread role: shared. Caller threads {@link #add} and {@link #remove} (cancel); the result thread
 * completes ({@link #complete}, {@link #fail}, {@link #failAll}), which runs the sinks there (a caller
 * that reads its own result completes that task itself, see {@link ResultReader}). Lookups are
 * for any thread. Backed by a {@link ConcurrentHashMap}; no method blocks.
 */
final class PendingTasks {
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong seqs = new AtomicLong();
    private final PoolLog log;

    PendingTasks(PoolLog log) {
        this.log = log;
    }

    /**
     * Numbers a new task and adds it. Any thread.
     *
     * @param body kept to queue the task again when its worker dies (null: never retried)
     * @param original what the caller submitted, for {@code shutdownNow}
     */
    long add(Sink sink, EncodedTask body, Object original) {
        long seq = seqs.incrementAndGet();
        pending.put(seq, new Pending(sink, body, original));
        return seq;
    }

    /** Removes task {@code seq}: the caller now owns its completion. Null when it was not pending. */
    Pending remove(long seq) {
        return pending.remove(seq);
    }

    Pending get(long seq) {
        return pending.get(seq);
    }

    boolean contains(long seq) {
        return pending.containsKey(seq);
    }

    int size() {
        return pending.size();
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** The numbers of the pending tasks; a snapshot. */
    List<Long> seqs() {
        return new ArrayList<>(pending.keySet());
    }

    /** What was submitted and is not in {@code running}; best effort. */
    List<Object> notStarted(Set<Long> running) {
        List<Object> out = new ArrayList<>();
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            if (!running.contains(e.getKey()) && e.getValue().original != null) {
                out.add(e.getValue().original);
            }
        }
        return out;
    }

    /**
     * Hands a removed task's outcome to its sink; what the sink throws is reported. Result thread, or the
     * thread of a caller that read its own result (see {@link ResultReader}).
     */
    void complete(Pending p, Object[] values, Throwable error) {
        try {
            p.sink.complete(values, error);
        } catch (Throwable t) {
            log.report("a completion", t);
        }
    }

    /** Fails task {@code seq} with {@code error}, when it is still pending. Result thread. */
    void fail(long seq, Throwable error) {
        Pending p = pending.remove(seq);
        if (p != null) {
            complete(p, new Object[0], error);
        }
    }

    /** Fails every pending task with a fresh {@code error}. Result thread. */
    void failAll(Supplier<? extends Throwable> error) {
        for (Long seq : seqs()) {
            fail(seq, error.get());
        }
    }

    /** One pending task. {@link #attempts} is the result thread's. */
    static final class Pending {
        final Sink sink;
        final EncodedTask body;
        final Object original;
        int attempts;

        Pending(Sink sink, EncodedTask body, Object original) {
            this.sink = sink;
            this.body = body;
            this.original = original;
        }
    }
}
