package io.ipckit.cluster.internal.pool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cluster tasks a node holds, by caller and task number, and the cancellations it received. A task is
 * held from when the node took it until its outcome is on its way ({@link #sent}, by the reply thread, in
 * the order of the replies) or it was cancelled; so a probe's answer, made on the reply thread, names every
 * task whose outcome is not ahead of the answer ({@link NodeReplies}). Each task ends here exactly once:
 * completed (its outcome goes to its caller) or cancelled (no outcome: its caller forgot it), whichever
 * comes first. A cancellation of a task this node does not hold is remembered (the last
 * {@link #REMEMBERED}), so the task is dropped if this node takes it later.
 *
 * <p>Thread role: any thread (the node's taker takes, the local pool's result thread ends a completed
 * task, a Hazelcast event thread cancels, the reply thread lets go of sent ones and answers probes); none
 * blocks.
 */
final class HeldTasks {
    /** How many cancellations of tasks not held are remembered. */
    static final int REMEMBERED = 4096;

    /** One task held. */
    static final class Held {
        final String key;
        final String caller;
        final long seq;
        private final AtomicBoolean ended = new AtomicBoolean();
        /** Its number in the node's local pool, once submitted there; -1 before. */
        volatile long localSeq = -1;
        /** A cancellation ended it: whether it asked to stop it running. Written before {@link #cancelled}. */
        volatile boolean stopRunning;
        volatile boolean cancelled;

        private Held(String caller, long seq) {
            this.key = key(caller, seq);
            this.caller = caller;
            this.seq = seq;
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
        Held h = new Held(caller, seq);
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
        held.remove(k, h); // no outcome follows
        h.stopRunning = stopRunning;
        h.cancelled = true;
        return h;
    }

    /**
     * Ends {@code h}; whether this call did (a completion that finds it cancelled sends no outcome). A
     * completed task stays held until its outcome is {@link #sent}.
     */
    boolean end(Held h) {
        return h.ended.compareAndSet(false, true);
    }

    /** The outcome of {@code h} is on its way, ahead of any later reply to its caller. Reply thread. */
    void sent(Held h) {
        held.remove(h.key, h);
    }

    /** The numbers of the tasks of {@code caller} held now, a snapshot. */
    long[] heldBy(String caller) {
        return held.values().stream().filter(h -> h.caller.equals(caller)).mapToLong(h -> h.seq).sorted().toArray();
    }
}
