package io.ipckit.cluster.internal.pool;

import com.hazelcast.collection.IQueue;
import io.ipckit.cluster.ClusterException;
import io.ipckit.pool.WorkerCrashedException;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What the loss of a node costs a cluster pool's caller, decided on the engine's result thread: each task
 * of this caller that ran on a node that left is queued again while the pool's retries allow, else fails
 * with a {@link WorkerCrashedException} naming the node's host and pid.
 *
 * <ul>
 * <li>A member leaves (Hazelcast's failure detection): its tasks (those it reported taking) go.</li>
 * <li>A STARTED reply from a node that already left (it was on the dead member's queue): that task goes.</li>
 * <li>{@link #ORPHAN_GRACE} after a member left: the tasks sent before that which no node reported taking
 *     and which are no longer on the task queue (one copy of it) and still not reported taken
 *     {@link #SETTLE} later were taken by the node that left just before it died (its reply lost with it);
 *     they go too, naming the hosts that left. If a live node's reply was merely later than that, such a
 *     task may run twice; it still has one outcome. A look at the queue that fails is made again
 *     {@link #SETTLE} later.</li>
 * <li>This client without any member for {@link #UNREACHABLE}: every task not completed fails (those
 *     reported taken with a WorkerCrashedException naming their node, the others with a
 *     {@link ClusterException}).</li>
 * </ul>
 *
 * Thread role: the result thread only, except the look at the task queue, which runs on {@code lookup}
 * and posts its findings back.
 */
final class NodeLoss {
    /** How long this client may have no member before the tasks not completed fail. */
    static final Duration UNREACHABLE = Duration.ofSeconds(5);
    /** How long after a node left the tasks no node reported taking are looked for on the task queue. */
    static final Duration ORPHAN_GRACE = Duration.ofSeconds(3);
    /** How long a task found neither on the queue nor reported taken waits for a live node to report it. */
    static final Duration SETTLE = Duration.ofSeconds(1);

    private final String pool;
    private final String cluster;
    private final int retries;
    private final InFlight inFlight;
    private final IQueue<byte[]> taskQueue;
    private final Consumer<InFlight.Task> resend;
    private final Executor lookup;
    private final Consumer<Runnable> post;
    private final LongSupplier disconnectedAt;
    /** Member uuid to host:port of the nodes that left. */
    private final Map<String, String> departed = new HashMap<>();
    /** Member uuid to when this client learnt that it left (System.nanoTime()). */
    private final Map<String, Long> departedAt = new HashMap<>();
    private long lostAt;
    /** When to look for orphans; 0: no look due. */
    private long orphanCheckAt;
    /** Tasks found neither on the queue nor reported taken, lost unless reported by {@link #suspectsAt}. */
    private final List<InFlight.Task> suspects = new ArrayList<>();
    private long suspectsAt;

    /**
     * @param resend queues a task again (its attempts counted here)
     * @param lookup where the task queue is asked (it blocks on the network)
     * @param post hands work back to the result thread
     * @param disconnectedAt System.nanoTime() when the client lost its last member, 0 while connected
     */
    NodeLoss(String pool, String cluster, int retries, InFlight inFlight, IQueue<byte[]> taskQueue,
             Consumer<InFlight.Task> resend, Executor lookup, Consumer<Runnable> post, LongSupplier disconnectedAt) {
        this.pool = pool;
        this.cluster = cluster;
        this.retries = retries;
        this.inFlight = inFlight;
        this.taskQueue = taskQueue;
        this.resend = resend;
        this.lookup = lookup;
        this.post = post;
        this.disconnectedAt = disconnectedAt;
    }

    /** Member {@code member} at {@code host} left the cluster. */
    void memberLeft(String member, String host) {
        departed.put(member, host);
        lostAt = System.nanoTime();
        departedAt.put(member, lostAt);
        orphanCheckAt = lostAt + ORPHAN_GRACE.toNanos();
        for (InFlight.Task t : inFlight.snapshot()) {
            Wire.NodeRef n = t.node;
            if (n != null && n.member().equals(member)) {
                lost(t, n, "left the cluster");
            }
        }
    }

    /**
     * Task {@code t} was reported taken by {@code node}. A report from a member that had left before the
     * task was last charged with a departure is stale: its replies can come seconds after its departure
     * was handled (a reply on a result queue whose partition it owned waits for the backup's promotion),
     * and the task was retried or failed since, charged with that member's departure or, when no node had
     * reported taking it, with the departures of its grace period. The task is left alone.
     */
    void started(InFlight.Task t, Wire.NodeRef node) {
        Long left = departedAt.get(node.member());
        if (left != null && t.lostAt != 0 && left - t.lostAt <= 0) {
            return;
        }
        t.node = node;
        if (departed.containsKey(node.member())) {
            lost(t, node, "left the cluster");
        }
    }

    /** Whether a task whose node's own worker died may be queued again. */
    boolean mayRetry(InFlight.Task t) {
        return t.attempts < retries;
    }

    /** Runs the checks that are due: called by the result thread every cycle (at least every 100 ms). */
    void tick() {
        checkUnreachable();
        checkOrphans();
        checkSuspects();
    }

    private void lost(InFlight.Task t, Wire.NodeRef n, String why) {
        t.lostAt = System.nanoTime();
        if (mayRetry(t)) {
            resend.accept(t);
        } else {
            inFlight.complete(t.seq, new Object[0], crashed(t, n, why));
        }
    }

    private WorkerCrashedException crashed(InFlight.Task t, Wire.NodeRef n, String why) {
        return new WorkerCrashedException("task " + t.seq + " of pool '" + pool + "' was running on the cluster"
                + " node at " + n.host() + (n.pid() > 0 ? " (pid " + n.pid() + ")" : "") + ", which " + why
                + " (its host died, the node was killed, or it was cut off); ask for retries"
                + " (Pool.Builder.retries) to run such a task again on another node", n.pid(), -1);
    }

    private void checkUnreachable() {
        long since = disconnectedAt.getAsLong();
        if (since == 0 || System.nanoTime() - since < UNREACHABLE.toNanos() || inFlight.isEmpty()) {
            return;
        }
        for (InFlight.Task t : inFlight.snapshot()) {
            Wire.NodeRef n = t.node;
            inFlight.complete(t.seq, new Object[0], n != null
                    ? crashed(t, n, "this client lost contact with for " + UNREACHABLE.toSeconds() + " s")
                    : new ClusterException("task " + t.seq + " of pool '" + pool + "' did not start: cluster "
                    + cluster + " has been unreachable for " + UNREACHABLE.toSeconds()
                    + " s; start its nodes or check the network"));
        }
    }

    private void checkOrphans() {
        if (orphanCheckAt == 0 || System.nanoTime() - orphanCheckAt < 0) {
            return;
        }
        orphanCheckAt = 0;
        long before = lostAt;
        List<InFlight.Task> candidates = new ArrayList<>();
        for (InFlight.Task t : inFlight.snapshot()) {
            if (t.node == null && t.sentAt != 0 && t.sentAt - before < 0) {
                candidates.add(t);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        lookup.execute(() -> {
            List<InFlight.Task> orphans = new ArrayList<>();
            try {
                Set<ByteBuffer> queued = new HashSet<>();
                for (byte[] b : taskQueue) { // one copy of the queue, not a call per task
                    queued.add(ByteBuffer.wrap(b));
                }
                for (InFlight.Task t : candidates) {
                    if (!queued.contains(ByteBuffer.wrap(t.sealed))) {
                        orphans.add(t);
                    }
                }
            } catch (RuntimeException e) {
                // The look failed (the queue's partition moving to the survivor, or the cluster unreachable,
                // where the unreachable bound fails the tasks): look again in a moment, else a task the dead
                // node took without reporting it would never have an outcome.
                post.accept(() -> {
                    if (orphanCheckAt == 0) {
                        orphanCheckAt = System.nanoTime() + SETTLE.toNanos();
                    }
                });
                return;
            }
            post.accept(() -> {
                suspects.addAll(orphans);
                suspectsAt = System.nanoTime() + SETTLE.toNanos();
            });
        });
    }

    /**
     * The tasks found neither on the queue nor reported taken are lost only if no node reports them within
     * {@link #SETTLE} more: a live node that took one just before the look says so by then.
     */
    private void checkSuspects() {
        if (suspects.isEmpty() || System.nanoTime() - suspectsAt < 0) {
            return;
        }
        Wire.NodeRef gone = new Wire.NodeRef("?", String.join(", ", departed.values()), -1);
        for (InFlight.Task t : suspects) {
            if (inFlight.get(t.seq) == t && t.node == null) {
                lost(t, gone, "left the cluster right after taking it, before it reported taking it,");
            }
        }
        suspects.clear();
    }
}
