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
 * the STARTED of the tasks this node took and their OUTCOMEs. All those waiting for one caller go in one
 * {@code addAll}: the tasks taken in a row are one STARTED reply naming them all, before the outcomes. A
 * STARTED waits up to {@link #STARTED_LINGER_NANOS} for the task's outcome and is dropped when the outcome
 * goes with it (the outcome says as much); so a short task costs its caller one reply, not two. A node that
 * dies before its STARTED got out is covered by the caller's orphan look-up ({@link NodeLoss}).
 *
 * <p>Thread role: {@link #started}, {@link #outcome} and {@link #dead} are for any thread and do not
 * block; {@link #start} and {@link #stop} for the node's owner; the rest runs on the reply thread.
 */
final class NodeReplies {
    /** How long a STARTED waits for more replies (its task's outcome) before it goes alone. */
    static final long STARTED_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long POLL_MILLIS = 500;

    /** One reply for {@code queue}: a STARTED when {@code payload} is null, else the sealed payload itself. */
    private record Out(String queue, long seq, Supplier<byte[]> payload) {
    }

    private final HazelcastInstance hazelcast;
    private final Sealer sealer;
    private final Wire.NodeRef me;
    private final LinkedBlockingQueue<Out> waiting = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    NodeReplies(HazelcastInstance hazelcast, Sealer sealer, Wire.NodeRef me) {
        this.hazelcast = hazelcast;
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
        waiting.add(new Out(queue, seq, null));
    }

    /** The outcome of task {@code seq}, sealed on the reply thread by {@code sealed}. */
    void outcome(String queue, long seq, Supplier<byte[]> sealed) {
        waiting.add(new Out(queue, seq, sealed));
    }

    /** A payload that could not be opened, kept as it came on {@link Wire#DEAD}. */
    void dead(byte[] payload) {
        waiting.add(new Out(Wire.DEAD, -1, () -> payload));
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
            if (o.payload() != null) {
                return false;
            }
        }
        return true;
    }

    /** Puts {@code batch} on its queues, one call per queue; false when this member is shut down. */
    private boolean send(List<Out> batch) {
        Map<String, List<Out>> byQueue = new LinkedHashMap<>();
        for (Out o : batch) {
            byQueue.computeIfAbsent(o.queue(), q -> new ArrayList<>()).add(o);
        }
        for (var e : byQueue.entrySet()) {
            List<byte[]> items = items(e.getKey(), e.getValue());
            try {
                hazelcast.<byte[]>getQueue(e.getKey()).addAll(items);
            } catch (HazelcastInstanceNotActiveException stopped) {
                return false;
            } catch (RuntimeException failed) {
                System.err.println("ipckit node: " + items.size() + " replies could not be sent to " + e.getKey()
                        + " (" + failed + "); its caller sees the tasks fail when this node leaves");
            }
        }
        return true;
    }

    /** The payloads for one queue: one STARTED for the tasks whose outcome is not among them, then the rest. */
    private List<byte[]> items(String queue, List<Out> outs) {
        Set<Long> done = new HashSet<>();
        for (Out o : outs) {
            if (o.payload() != null) {
                done.add(o.seq());
            }
        }
        List<Long> started = new ArrayList<>();
        List<byte[]> items = new ArrayList<>(outs.size());
        for (Out o : outs) {
            if (o.payload() == null) {
                if (!done.contains(o.seq())) {
                    started.add(o.seq());
                }
            } else {
                items.add(o.payload().get());
            }
        }
        if (!started.isEmpty()) {
            items.add(0, Wire.sealStarted(sealer, queue, started.stream().mapToLong(Long::longValue).toArray(), me));
        }
        return items;
    }
}
