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
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the loss of a node costs a cluster pool's caller, decided on the engine's result thread: each task
 * of this caller that ran on a node that left, or whose outcome was lost on its way, is queued again while
 * the pool's retries allow, else fails with a {@link WorkerCrashedException} naming the node's host and pid.
 *
 * <ul>
 * <li>A member leaves (Hazelcast's failure detection): its tasks (those it reported taking) go.</li>
 * <li>A STARTED reply from a node that already left (it was on the dead member's queue): that task goes.</li>
 * <li>{@link #ORPHAN_GRACE} after a member left (or after this client got its connection back), a
 *     <em>round</em>: the tasks sent and not completed are looked for on the task queue (one copy of it);
 *     those not there are in a node's hands or lost. Then a probe asks every live node which of this
 *     caller's tasks it holds; each answers on this caller's result queue behind every outcome it sent
 *     before ({@link NodeReplies} has the proof). Once all have answered, a task neither on the queue, nor
 *     named by an answer, nor completed was lost: taken by the node that left before it said so, removed by
 *     a take the dead member never answered, or its outcome (or STARTED) lost when the member that owned the
 *     result queue died during this caller's take of it. It goes, naming the hosts that left. A probe not
 *     answered by every node within {@link #PROBE_WAIT} is sent again; after {@link #PROBE_ATTEMPTS}, the
 *     round decides with the answers it has, leaving alone the tasks that a silent node reported taking. A
 *     look at the queue that fails is made again {@link #SETTLE} later.</li>
 * <li>Every {@link #WATCH} with no other round due, a <em>watch round</em>: the tasks a live node reported
 *     taking more than that long ago are checked with a probe alone, by the same rule; so an outcome lost
 *     where nobody saw it (no member left, no reconnection) is not waited for for ever.</li>
 * <li>This client without any member for {@link #UNREACHABLE}: every task not completed fails (those
 *     reported taken with a WorkerCrashedException naming their node, the others with a
 *     {@link ClusterException}).</li>
 * </ul>
 *
 * Thread role: the result thread only, except the look at the task queue and at the live nodes, which runs
 * on {@code lookup} and posts its findings back.
 */
final class NodeLoss {
    /** How long this client may have no member before the tasks not completed fail. */
    static final Duration UNREACHABLE = Duration.ofSeconds(5);
    /** How long after a node left the tasks not completed are looked for (the queue, then the live nodes). */
    static final Duration ORPHAN_GRACE = Duration.ofSeconds(3);
    /** How long after a failed look at the task queue it is made again. */
    static final Duration SETTLE = Duration.ofSeconds(1);
    /** How long a probe waits for every live node's answer before it is sent again. */
    static final Duration PROBE_WAIT = Duration.ofSeconds(4);
    /** How many probes a round sends before it decides with the answers it has. */
    static final int PROBE_ATTEMPTS = 3;
    /**
     * How often, with no member leaving, the tasks a live node reported taking more than this long ago are
     * checked with a probe alone (a watch round): an outcome lost for a reason nobody saw fails or runs again
     * within about twice this, instead of leaving its caller waiting for ever.
     */
    static final Duration WATCH = Duration.ofSeconds(30);

    /** The waits above, shorter in tests of the decisions alone. */
    record Timing(Duration grace, Duration settle, Duration probeWait, Duration watch) {
        static final Timing DEFAULT = new Timing(ORPHAN_GRACE, SETTLE, PROBE_WAIT, WATCH);
    }

    /** A task a round looks for, and its attempts when the round began (a retry since is not its business). */
    private record Candidate(InFlight.Task task, int attempts) {
    }

    /** One round: its candidates, then the live nodes and their answers. */
    private static final class Round {
        final List<Candidate> tasks = new ArrayList<>();
        /** The member uuids of the live nodes; null until the look at the queue is back. */
        Set<String> expected;
        final Set<String> answered = new HashSet<>();
        /** The task numbers the answers named. */
        final Set<Long> held = new HashSet<>();
        long firstProbe;
        int probesSent;
        long deadline;

        Round(List<InFlight.Task> tasks) {
            for (InFlight.Task t : tasks) {
                this.tasks.add(new Candidate(t, t.attempts));
            }
        }
    }

    private final String pool;
    private final String cluster;
    private final int retries;
    private final InFlight inFlight;
    private final IQueue<byte[]> taskQueue;
    private final Consumer<InFlight.Task> resend;
    private final Executor lookup;
    private final Consumer<Runnable> post;
    private final LongSupplier disconnectedAt;
    private final Supplier<Set<String>> liveNodes;
    private final LongConsumer probe;
    private final Timing timing;
    /** Member uuid to host:port of the nodes that left. */
    private final Map<String, String> departed = new HashMap<>();
    /** Member uuid to when this client learnt that it left (System.nanoTime()). */
    private final Map<String, Long> departedAt = new HashMap<>();
    /** When the next round begins; 0: none due. */
    private long roundAt;
    private Round round;
    private long probes;
    /** When the next watch round may begin. */
    private long watchAt;

    /**
     * @param resend queues a task again (its attempts counted here)
     * @param lookup where the task queue and the live nodes are asked (it blocks on the network)
     * @param post hands work back to the result thread
     * @param disconnectedAt System.nanoTime() when the client lost its last member, 0 while connected
     * @param liveNodes the member uuids of the nodes that run workers and are members now (blocks)
     * @param probe publishes the probe of this number to every node (does not block)
     */
    NodeLoss(String pool, String cluster, int retries, InFlight inFlight, IQueue<byte[]> taskQueue,
             Consumer<InFlight.Task> resend, Executor lookup, Consumer<Runnable> post, LongSupplier disconnectedAt,
             Supplier<Set<String>> liveNodes, LongConsumer probe) {
        this(pool, cluster, retries, inFlight, taskQueue, resend, lookup, post, disconnectedAt, liveNodes, probe,
                Timing.DEFAULT);
    }

    NodeLoss(String pool, String cluster, int retries, InFlight inFlight, IQueue<byte[]> taskQueue,
             Consumer<InFlight.Task> resend, Executor lookup, Consumer<Runnable> post, LongSupplier disconnectedAt,
             Supplier<Set<String>> liveNodes, LongConsumer probe, Timing timing) {
        this.timing = timing;
        this.watchAt = System.nanoTime() + timing.watch().toNanos();
        this.pool = pool;
        this.cluster = cluster;
        this.retries = retries;
        this.inFlight = inFlight;
        this.taskQueue = taskQueue;
        this.resend = resend;
        this.lookup = lookup;
        this.post = post;
        this.disconnectedAt = disconnectedAt;
        this.liveNodes = liveNodes;
        this.probe = probe;
    }

    /** Member {@code member} at {@code host} left the cluster. */
    void memberLeft(String member, String host) {
        long now = System.nanoTime();
        departed.put(member, host);
        departedAt.put(member, now);
        round = null; // a round under way may be waiting for its answer: a new one begins after the grace
        roundAt = now + timing.grace().toNanos();
        for (InFlight.Task t : inFlight.snapshot()) {
            Wire.NodeRef n = t.node;
            if (n != null && n.member().equals(member)) {
                lost(t, n, "left the cluster");
            }
        }
    }

    /** This client has its connection back after losing it: a take of the result queue may have been lost. */
    void reconnected() {
        if (roundAt == 0) {
            roundAt = System.nanoTime() + timing.grace().toNanos();
        }
    }

    /**
     * Task {@code t} was reported taken by {@code node}. A report from a member that had left before the
     * task was last charged with a departure is stale: its replies can come seconds after its departure
     * was handled (a reply on a result queue whose partition it owned waits for the backup's promotion),
     * and the task was retried or failed since, charged with that member's departure or by a round. The
     * task is left alone.
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

    /**
     * {@code node}'s answer to probe {@code probeId}: it holds tasks {@code seqs} of this caller, and every
     * outcome it sent before has been handled.
     */
    void held(long probeId, Wire.NodeRef node, long[] seqs) {
        Round r = round;
        if (r == null || r.expected == null || probeId < r.firstProbe) {
            return; // an answer to a round given up
        }
        r.answered.add(node.member());
        for (long seq : seqs) {
            r.held.add(seq);
            InFlight.Task t = inFlight.get(seq);
            if (t != null && t.node == null) {
                started(t, node); // its STARTED may have been lost
            }
        }
        if (r.answered.containsAll(r.expected)) {
            decide(r);
        }
    }

    /** Whether a task whose node's own worker died may be queued again. */
    boolean mayRetry(InFlight.Task t) {
        return t.attempts < retries;
    }

    /** Runs the checks that are due: called by the result thread every cycle (at least every 100 ms). */
    void tick() {
        checkUnreachable();
        beginRound();
        beginWatch();
        checkRound();
    }

    private void lost(InFlight.Task t, Wire.NodeRef n, String why) {
        lost(t, () -> crashed(t, n, why));
    }

    /** Charges {@code t} with a loss: queued again while retries allow, else failed with {@code error}. */
    private void lost(InFlight.Task t, Supplier<WorkerCrashedException> error) {
        t.lostAt = System.nanoTime();
        if (mayRetry(t)) {
            resend.accept(t);
        } else {
            inFlight.complete(t.seq, new Object[0], error.get());
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

    /** Begins the round that is due: the look at the task queue and the live nodes, off this thread. */
    private void beginRound() {
        if (roundAt == 0 || System.nanoTime() - roundAt < 0 || round != null) {
            return;
        }
        roundAt = 0;
        List<InFlight.Task> candidates = new ArrayList<>();
        for (InFlight.Task t : inFlight.snapshot()) {
            Wire.NodeRef n = t.node;
            if (t.sentAt != 0 && (n == null || !departed.containsKey(n.member()))) {
                candidates.add(t);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        begin(new Round(candidates), true);
    }

    /**
     * Every {@link #WATCH}, while no other round is due: the tasks a live node reported taking more than
     * that long ago are checked with a probe alone. Such a task is not on the task queue (it would have been
     * sent again, and lost its node), so no look at the queue is needed; a task no node reported taking is
     * left to the rounds after a departure.
     */
    private void beginWatch() {
        long now = System.nanoTime();
        if (now - watchAt < 0 || round != null || roundAt != 0) {
            return;
        }
        watchAt = now + timing.watch().toNanos();
        List<InFlight.Task> candidates = new ArrayList<>();
        for (InFlight.Task t : inFlight.snapshot()) {
            Wire.NodeRef n = t.node;
            if (n != null && !departed.containsKey(n.member()) && t.sentAt != 0
                    && now - t.sentAt > timing.watch().toNanos()) {
                candidates.add(t);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        begin(new Round(candidates), false);
    }

    /**
     * Begins round {@code r}: off this thread, the live nodes and (with {@code lookAtQueue}) one copy of the
     * task queue, whose tasks are still waiting for a node; then the probe. A look that fails (the queue's
     * partition moving to a survivor, or the cluster unreachable, where the unreachable bound fails the
     * tasks) ends the round: a departure's round is begun again {@link #SETTLE} later, else a task the dead
     * node took unreported would never have an outcome; a watch round waits for the next watch.
     */
    private void begin(Round r, boolean lookAtQueue) {
        round = r;
        lookup.execute(() -> {
            Set<ByteBuffer> queued = new HashSet<>();
            Set<String> live;
            try {
                if (lookAtQueue) {
                    for (byte[] b : taskQueue) { // one copy of the queue, not a call per task
                        queued.add(ByteBuffer.wrap(b));
                    }
                }
                live = liveNodes.get();
            } catch (RuntimeException e) {
                post.accept(() -> {
                    if (round == r) {
                        round = null;
                        if (lookAtQueue) {
                            roundAt = System.nanoTime() + timing.settle().toNanos();
                        }
                    }
                });
                return;
            }
            post.accept(() -> {
                if (round != r) {
                    return; // a member left meanwhile: a new round follows
                }
                r.tasks.removeIf(c -> queued.contains(ByteBuffer.wrap(c.task().sealed))); // waiting for a node
                if (r.tasks.isEmpty()) {
                    round = null;
                    return;
                }
                r.expected = live;
                sendProbe(r);
            });
        });
    }

    private void sendProbe(Round r) {
        long id = ++probes;
        if (r.firstProbe == 0) {
            r.firstProbe = id;
        }
        r.probesSent++;
        r.deadline = System.nanoTime() + timing.probeWait().toNanos();
        if (r.expected.isEmpty()) {
            decide(r); // no live node: whatever left the queue was taken by a node that left
            return;
        }
        try {
            probe.accept(id);
        } catch (RuntimeException e) {
            // not published (the cluster unreachable): sent again at the deadline
        }
    }

    private void checkRound() {
        Round r = round;
        if (r == null || r.expected == null || System.nanoTime() - r.deadline < 0) {
            return;
        }
        if (r.probesSent < PROBE_ATTEMPTS) {
            sendProbe(r);
        } else {
            decide(r);
        }
    }

    /** The round's verdict: each candidate neither on the queue, nor held, nor completed was lost. */
    private void decide(Round r) {
        round = null;
        Set<String> silent = new HashSet<>(r.expected);
        silent.removeAll(r.answered);
        String hosts = departed.isEmpty() ? "none" : String.join(", ", departed.values());
        Wire.NodeRef gone = new Wire.NodeRef("?", hosts, -1);
        for (Candidate c : r.tasks) {
            InFlight.Task t = c.task();
            if (inFlight.get(t.seq) != t || t.attempts != c.attempts() || r.held.contains(t.seq)) {
                continue; // completed, resent since, or in a live node's hands
            }
            Wire.NodeRef n = t.node;
            if (n != null && silent.contains(n.member())) {
                continue; // its node is a member that did not answer: it is charged when it leaves
            }
            if (n == null) {
                lost(t, gone, "left the cluster right after taking it, before it reported taking it,");
            } else {
                lost(t, () -> new WorkerCrashedException("task " + t.seq + " of pool '" + pool + "' ran on the"
                        + " cluster node at " + n.host() + " (pid " + n.pid() + "), which no longer holds it, but its"
                        + " outcome never reached this caller: it was lost on its way (a member of the cluster died:"
                        + " those that left: " + hosts + "; or this client lost its connection, or the node could not"
                        + " send it); ask for retries (Pool.Builder.retries) to run such a task again", n.pid(), -1));
            }
        }
    }
}
