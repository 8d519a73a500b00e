package io.ipckit.cluster.internal.pool;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.ipckit.cluster.internal.Sealer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A node's replies to its callers, put on their result queues by the thread {@code ipckit-node-replies}:
 * the STARTED of the tasks this node took, their OUTCOMEs, and the answers to the callers' probes (HELD:
 * the tasks of that caller this node holds). All those waiting for one caller go in one
 * {@code addAll}: the tasks taken in a row are one STARTED reply naming them all, before the outcomes. A
 * STARTED waits up to {@link #STARTED_LINGER_NANOS} for the task's outcome and is dropped when the outcome
 * goes with it (the outcome says as much); so a short task costs its caller one reply, not two. A node that
 * dies before its STARTED got out is covered by the caller's probes ({@link NodeLoss}).
 *
 * <p><b>Why an answer proves an outcome lost.</b> The replies for one caller go out in the order they were
 * handed here, one {@code addAll} after the other. A task stays in {@link HeldTasks} until its outcome is
 * put in the list of its {@code addAll} ({@link HeldTasks#sent}), and an answer is made when it is put in
 * that list; so a task that took its place in the list before the answer is not named by it and its outcome
 * is ahead of it on the queue, and one that comes after is named. A caller that reads the answer and has
 * had no outcome for a task the answer does not name, which this node took, knows that outcome was lost.
 *
 * <p>Thread role: {@link #started}, {@link #outcome} and {@link #dead} are for any thread and do not
 * block; {@link #start} and {@link #stop} for the node's owner; the rest runs on the reply thread.
 */
final class NodeReplies {
    /** How long a STARTED waits for more replies (its task's outcome) before it goes alone. */
    static final long STARTED_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long POLL_MILLIS = 500;
    /** The kind of an {@link Out} that is a dead letter (no reply kind of {@link Wire}). */
    private static final byte DEAD_LETTER = 0;
    /** How long a batch of replies that the cluster refuses is tried again before it is given up. */
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * One reply for {@code queue} of kind {@code kind} ({@link Wire#STARTED}, {@link Wire#OUTCOME},
     * {@link Wire#HELD}, or {@link #DEAD_LETTER}): the task's number (the probe's for HELD), its sealed
     * payload (null for a STARTED, made when the batch is put together) and the task it ends (OUTCOME).
     */
    private record Out(byte kind, String queue, long seq, Supplier<byte[]> payload, HeldTasks.Held held) {
    }

    private final HazelcastInstance hazelcast;
    private final Sealer sealer;
    private final Wire.NodeRef me;
    private final LinkedBlockingQueue<Out> waiting = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    private final HeldTasks heldTasks;

    NodeReplies(HazelcastInstance hazelcast, Sealer sealer, Wire.NodeRef me, HeldTasks heldTasks) {
        this.hazelcast = hazelcast;
        this.heldTasks = heldTasks;
        this.sealer = sealer;
        this.me = me;
        this.thread = new Thread(this::run, "ipckit-node-replies");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** This node took task {@code seq} of the caller whose result queue is {@code queue}. */
    void started(String queue, long seq) {
        waiting.add(new Out(Wire.STARTED, queue, seq, null, null));
    }

    /** The outcome of held task {@code h}, sealed on the reply thread by {@code sealed}. */
    void outcome(HeldTasks.Held h, Supplier<byte[]> sealed) {
        waiting.add(new Out(Wire.OUTCOME, Wire.results(h.caller), h.seq, sealed, h));
    }

    /**
     * Answers probe {@code probe} of {@code caller}: a HELD reply naming the tasks of that caller held when
     * the answer takes its place among the replies (see the class comment).
     */
    void answer(String caller, long probe) {
        String queue = Wire.results(caller);
        waiting.add(new Out(Wire.HELD, queue, probe,
                () -> Wire.sealHeld(sealer, queue, probe, heldTasks.heldBy(caller), me), null));
    }

    /** A payload that could not be opened, kept as it came on {@link Wire#DEAD}. */
    void dead(byte[] payload) {
        waiting.add(new Out(DEAD_LETTER, Wire.DEAD, -1, () -> payload, null));
    }

    /** Sends what is waiting, then ends the reply thread; waits for it up to {@code millis}. Blocks. */
    void stop(long millis) {
        running = false;
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Out> batch = new ArrayList<>();
        while (running || !waiting.isEmpty()) {
            try {
                Out o = waiting.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (o == null) {
                    continue;
                }
                batch.add(o);
                waiting.drainTo(batch, 1023);
                long until = System.nanoTime() + STARTED_LINGER_NANOS;
                while (running && onlyStarted(batch)) {
                    Out more = waiting.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (more == null) {
                        break;
                    }
                    batch.add(more);
                    waiting.drainTo(batch, 1023);
                }
            } catch (InterruptedException e) {
                return;
            }
            if (!send(batch)) {
                return;
            }
            batch.clear();
        }
    }

    private static boolean onlyStarted(List<Out> batch) {
        for (Out o : batch) {
            if (o.kind() != Wire.STARTED) {
                return false;
            }
        }
        return true;
    }

    /**
     * Puts {@code batch} on its queues, one call per queue; false when this member is shut down. A call the
     * cluster refuses (an operation timeout, a partition moving) is made again, after 50 ms doubling up to
     * 2 s, for {@link #RETRY_NANOS}, before the next: so the replies keep their order, and an outcome is not
     * lost while its caller has no reason to look for it (a call that failed after all may have put them:
     * the caller drops a second copy by task number).
     */
    private boolean send(List<Out> batch) {
        Map<String, List<Out>> byQueue = new LinkedHashMap<>();
        for (Out o : batch) {
            byQueue.computeIfAbsent(o.queue(), q -> new ArrayList<>()).add(o);
        }
        for (var e : byQueue.entrySet()) {
            List<byte[]> items = items(e.getKey(), e.getValue());
            long giveUpAt = System.nanoTime() + RETRY_NANOS;
            long pause = 50;
            while (true) {
                try {
                    hazelcast.<byte[]>getQueue(e.getKey()).addAll(items);
                    break;
                } catch (HazelcastInstanceNotActiveException stopped) {
                    return false;
                } catch (RuntimeException failed) {
                    if (System.nanoTime() - giveUpAt > 0) {
                        System.err.println("ipckit node: " + items.size() + " replies could not be sent to "
                                + e.getKey() + " in " + TimeUnit.NANOSECONDS.toSeconds(RETRY_NANOS) + " s (" + failed
                                + "); its caller fails or retries those tasks after its next round (its 30 s watch, a member leaving,"
                                + " or its reconnection)");
                        break;
                    }
                    try {
                        Thread.sleep(pause);
                    } catch (InterruptedException interrupted) {
                        return false;
                    }
                    pause = Math.min(2 * pause, 2_000);
                }
            }
        }
        return true;
    }

    /**
     * The payloads for one queue: one STARTED for the tasks whose outcome is not among them, then the rest
     * in their order (each outcome's task let go of before a later answer is made).
     */
    private List<byte[]> items(String queue, List<Out> outs) {
        Set<Long> done = new HashSet<>();
        for (Out o : outs) {
            if (o.kind() == Wire.OUTCOME) {
                done.add(o.seq());
            }
        }
        List<Long> started = new ArrayList<>();
        List<byte[]> items = new ArrayList<>(outs.size());
        for (Out o : outs) {
            if (o.kind() == Wire.STARTED) {
                if (!done.contains(o.seq())) {
                    started.add(o.seq());
                }
            } else {
                items.add(o.payload().get());
                if (o.held() != null) {
                    heldTasks.sent(o.held());
                }
            }
        }
        if (!started.isEmpty()) {
            items.add(0, Wire.sealStarted(sealer, queue, started.stream().mapToLong(Long::longValue).toArray(), me));
        }
        return items;
    }
}
