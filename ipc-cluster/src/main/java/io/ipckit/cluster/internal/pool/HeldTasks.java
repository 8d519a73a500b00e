package io.ipckit.cluster.internal.pool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cluster tasks a node holds (taken, handed to its local pool, not ended), by caller and task number,
 * and the cancellations it received. Each task ends here exactly once: completed (its outcome goes to its
 * caller) or cancelled (no outcome: its caller forgot it), whichever comes first. A cancellation of a task
 * this node does not hold is remembered (the last {@link #REMEMBERED}), so the task is dropped if this node
 * takes it later.
 *
 * <p>Thread role: any thread (the node's taker takes, the local pool's result thread ends a completed
 * task, a Hazelcast event thread cancels); none blocks.
 */
final class HeldTasks {
    /** How many cancellations of tasks not held are remembered. */
    static final int REMEMBERED = 4096;

    /** One task held. */
    static final class Held {
        final String key;
        private final AtomicBoolean ended = new AtomicBoolean();
        /** Its number in the node's local pool, once submitted there; -1 before. */
        volatile long localSeq = -1;
        /** A cancellation ended it: whether it asked to stop it running. Written before {@link #cancelled}. */
        volatile boolean stopRunning;
        volatile boolean cancelled;

        private Held(String key) {
            this.key = key;
        }
    }

    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, Boolean> cancelledEarly = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    private static String key(String caller, long seq) {
        return caller + '/' + seq;
    }

    /** This node took task {@code seq} of {@code caller}: its entry, or null when it was cancelled already (drop it). */
    synchronized Held take(String caller, long seq) {
        String k = key(caller, seq);
        if (cancelledEarly.remove(k) != null) {
            return null;
        }
        Held h = new Held(k);
        held.put(k, h);
        return h;
    }

    /**
     * A cancellation of task {@code seq} of {@code caller}: the task it ended (the caller then releases its
     * place and cancels it in the local pool), or null when this node does not hold it (remembered) or it
     * ended already.
     */
    Held cancel(String caller, long seq, boolean stopRunning) {
        String k = key(caller, seq);
        Held h;
        synchronized (this) {
            h = held.get(k);
            if (h == null) {
                cancelledEarly.put(k, stopRunning);
                return null;
            }
        }
        if (!end(h)) {
            return null;
        }
        h.stopRunning = stopRunning;
        h.cancelled = true;
        return h;
    }

    /** Ends {@code h}; whether this call did (a completion that finds it cancelled sends no outcome). */
    boolean end(Held h) {
        if (h.ended.compareAndSet(false, true)) {
            held.remove(h.key, h);
            return true;
        }
        return false;
    }

    /** How many tasks are held. */
    int size() {
        return held.size();
    }
}
