package io.ipckit.cluster.internal.pool;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import io.ipckit.cluster.ClusterException;
import io.ipckit.cluster.ForgedPayloadException;
import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.Sealer;
import io.ipckit.core.Codec;
import io.ipckit.pool.WorkerCrashedException;
import io.ipckit.pool.internal.caller.Config;
import io.ipckit.pool.internal.caller.EncodedTask;
import io.ipckit.pool.internal.caller.Engine;
import io.ipckit.pool.internal.caller.Feeders;
import io.ipckit.pool.internal.caller.Sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The pool's engine on a cluster: {@code Pool.builder().cluster(ADDRESS)} and its executor run their tasks
 * on the workers of the cluster's nodes ({@link NodeWorkers}), through this JVM's client of the cluster.
 *
 * <p>Submitting seals the task's message into an envelope (this caller's id, the task's number) and hands it
 * to the thread {@code ipckit-cluster-pool-send-<name>}, which puts batches on {@link Wire#TASKS}: a submit
 * never waits for the network. The thread {@code ipckit-cluster-pool-poll-<name>} takes this caller's
 * replies from its own result queue, and the result thread {@code ipckit-cluster-pool-results-<name>}
 * completes each task exactly once (a reply for a task already completed, as a retried task's first run's,
 * is dropped by task number) and runs the callbacks, as a local pool's result thread does.
 *
 * <p><b>What a node's death costs.</b> Each node says which tasks it took (a STARTED reply with its member,
 * host and pid), unless their outcomes follow within {@link NodeReplies#STARTED_LINGER_NANOS}. When a
 * member leaves the cluster (Hazelcast's failure detection: the nodes' member timeout)
 * each task of this caller it took (running, or waiting in its local pool) fails with a {@link WorkerCrashedException} naming the node's host
 * and pid, or is queued again while the pool's {@code retries} allow (its side effects may then happen
 * twice). When this client loses every member for {@link #UNREACHABLE} (the cluster down, or this host cut
 * off), every task not completed fails: those running with a WorkerCrashedException naming their node,
 * the others with a {@link ClusterException}; a reply arriving later is dropped. A task taken by a node
 * that died before its STARTED reply got out is found {@link #ORPHAN_GRACE} after the node left and
 * retried or failed the same way, and so is a task whose outcome was lost on its way (the member owning
 * this caller's result queue died while this caller took from it): after a node left, a round looks for
 * the tasks not completed on the task queue, then asks the live nodes which they hold; a task in neither
 * place was lost. Every 30 s the tasks a live node took more than 30 s ago are checked the same way
 * ({@link NodeLoss} has the rules).
 *
 * <p>Made of: {@link InFlight} (the tasks not completed), {@link TaskSender} (the sender thread),
 * {@link NodeLoss} (what a node's death costs), and here the lifecycle, the poller and the result thread.
 *
 * <p>Threads: every method is for any thread and none blocks unless it says so.
 */
public final class ClusterEngine implements Engine {
    /** How long this client may have no member before the tasks not completed fail. */
    public static final Duration UNREACHABLE = NodeLoss.UNREACHABLE;
    /** How long after a node left the tasks not completed are looked for (on the task queue, then on the nodes). */
    public static final Duration ORPHAN_GRACE = NodeLoss.ORPHAN_GRACE;
    private static final long TICK_MILLIS = 100;
    private static final int RUNNING = 0;
    private static final int CLOSING = 1;
    private static final int TERMINATING = 2;
    private static final int TERMINATED = 3;

    private final Config config;
    private final io.ipckit.pool.internal.caller.PoolLog log;
    private final ClusterClient client;
    private final HazelcastInstance hz;
    private final Sealer sealer;
    private final Codec codec = Codec.defaults();
    private final String caller = UUID.randomUUID().toString();
    private final String resultsName = Wire.results(caller);
    private final IQueue<byte[]> results;
    private final ITopic<byte[]> cancels;
    private final ITopic<byte[]> probes;
    private final InFlight inFlight;
    private final AtomicLong seqs = new AtomicLong();
    /** The result thread's work: byte[] replies from the poller, Runnables from anywhere. */
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final CopyOnWriteArrayList<Runnable> batchListeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final AtomicInteger submitting = new AtomicInteger();
    private final AtomicInteger leases = new AtomicInteger();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Feeders feeders;
    private final TaskSender sender;
    private final NodeLoss loss;
    private final Thread poller;
    private final Thread resultThread;
    private final UUID membershipListener;
    private final UUID lifecycleListener;
    /** System.nanoTime() when this client lost its last member, or 0 while connected. */
    private volatile long disconnectedAt;

    private ClusterEngine(Config config, ClusterClient client) {
        this.client = client;
        this.log = new io.ipckit.pool.internal.caller.PoolLog(config.name());
        this.hz = client.hazelcast();
        this.sealer = client.sealer();
        IQueue<byte[]> tasks = hz.getQueue(Wire.TASKS);
        DeadCallers.sweep(hz); // result queues of callers that died meanwhile
        DeadCallers.register(hz, caller, hz.getLocalEndpoint().getUuid()); // before the result queue is used
        this.results = hz.getQueue(resultsName);
        this.cancels = hz.getTopic(Wire.CANCELS);
        this.probes = hz.getTopic(Wire.PROBES);
        this.config = config.withSize(Math.max(1, liveNodes().stream().mapToInt(Wire.NodeInfo::workers).sum()));
        this.inFlight = new InFlight(config.name());
        this.feeders = new Feeders(config.name());
        this.sender = new TaskSender(tasks, config.name(), () -> state.get() < TERMINATED, (batch, e) -> {
            ClusterException error = new ClusterException("pool '" + config.name() + "' could not queue "
                    + batch.size() + " task(s) on cluster " + client.address().redacted() + ": " + e, e);
            inbox.add((Runnable) () -> batch.forEach(t -> inFlight.complete(t.seq, new Object[0], error)));
        });
        this.loss = new NodeLoss(config.name(), client.address().redacted(), config.retries(), inFlight, tasks,
                this::resend, feeders::run, inbox::add, () -> disconnectedAt, this::liveMembers,
                id -> probes.publishAsync(Wire.sealProbe(sealer, new Wire.Probe(caller, id))));
        this.poller = thread(this::poll, "ipckit-cluster-pool-poll-" + config.name());
        this.resultThread = thread(this::dispatch, "ipckit-cluster-pool-results-" + config.name());
        this.membershipListener = hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                Member m = e.getMember();
                String host = m.getAddress().getHost() + ":" + m.getAddress().getPort();
                inbox.add((Runnable) () -> loss.memberLeft(m.getUuid().toString(), host));
            }
        });
        this.lifecycleListener = hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.CLIENT_DISCONNECTED) {
                disconnectedAt = System.nanoTime() | 1;
            } else if (e.getState() == LifecycleEvent.LifecycleState.CLIENT_CONNECTED) {
                if (disconnectedAt != 0) {
                    inbox.add((Runnable) () -> loss.reconnected()); // a take of the result queue may be lost
                }
                disconnectedAt = 0;
                // back after a while: the nodes may have taken this caller for dead; it lives on
                hz.<String, String>getMap(Wire.CALLERS).setAsync(caller, hz.getLocalEndpoint().getUuid().toString());
            }
        });
    }

    /**
     * Starts the engine's threads on {@code client} (this JVM's client of the cluster, connected). The
     * pool's size is the number of workers of the nodes up now (at least 1). Blocks for a few calls to the
     * cluster (the nodes, the result queues of dead callers, this caller's registration).
     */
    public static ClusterEngine start(ClusterClient client, Config config) {
        ClusterEngine e = new ClusterEngine(config, client);
        e.sender.start();
        e.poller.start();
        e.resultThread.start();
        return e;
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The nodes that run workers and are members now (stale entries of dead nodes are skipped). Blocks. */
    private List<Wire.NodeInfo> liveNodes() {
        return List.copyOf(liveNodesByMember().values());
    }

    /** The member uuids of the nodes that run workers and are members now. Blocks (one map read). */
    private Set<String> liveMembers() {
        return liveNodesByMember().keySet();
    }

    private Map<String, Wire.NodeInfo> liveNodesByMember() {
        Set<String> members = new HashSet<>();
        for (Member m : hz.getCluster().getMembers()) {
            members.add(m.getUuid().toString());
        }
        IMap<String, byte[]> nodes = hz.getMap(Wire.NODES);
        Map<String, Wire.NodeInfo> out = new LinkedHashMap<>();
        for (var e : nodes.entrySet()) {
            if (members.contains(e.getKey())) {
                try {
                    out.put(e.getKey(), Wire.openNode(sealer, e.getValue()));
                } catch (ForgedPayloadException | IllegalArgumentException ignored) {
                    // not a node of this token: not ours to count
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ threads

    /** Takes this caller's replies off its result queue and hands them to the result thread. Poller thread. */
    private void poll() {
        List<byte[]> more = new ArrayList<>();
        while (state.get() < TERMINATED) {
            try {
                byte[] r = results.poll(500, TimeUnit.MILLISECONDS);
                if (r != null) {
                    inbox.add(r);
                    results.drainTo(more, 255);
                    inbox.addAll(more);
                    more.clear();
                }
            } catch (InterruptedException | HazelcastInstanceNotActiveException e) {
                return;
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // Hazelcast wraps an interrupt of a blocking call
                }
                sleep(200); // the cluster unreachable: NodeLoss's bound decides
            }
        }
    }

    /** The result thread: completes tasks, runs callbacks, watches the bounds. */
    private void dispatch() {
        List<Object> burst = new ArrayList<>();
        while (true) {
            Object o;
            try {
                o = inbox.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                o = null;
            }
            if (o != null) {
                burst.add(o);
                inbox.drainTo(burst, 255);
                for (Object x : burst) {
                    handle(x);
                }
                burst.clear();
                for (Runnable r : batchListeners) {
                    runQuietly(r);
                }
            }
            loss.tick();
            int s = state.get();
            if (s == CLOSING && submitting.get() == 0 && leases.get() == 0 && inFlight.isEmpty()
                    && sender.isIdle()) {
                state.compareAndSet(CLOSING, TERMINATING);
                s = state.get();
            }
            if (s == TERMINATING) {
                inFlight.failAll(() -> new CancellationException("pool '" + config.name() + "' was terminated"));
                releaseResources();
                return;
            }
        }
    }

    private void handle(Object o) {
        if (o instanceof Runnable r) {
            runQuietly(r);
            return;
        }
        Wire.Reply reply;
        try {
            reply = Wire.openReply(sealer, codec, resultsName, (byte[]) o);
        } catch (ForgedPayloadException | IllegalArgumentException e) {
            log.warn("a reply is refused and kept on " + Wire.DEAD + ": " + e.getMessage());
            try {
                hz.getQueue(Wire.DEAD).offer(o);
            } catch (RuntimeException ignored) {
                // the dead letter is lost with the cluster; the refusal was reported
            }
            return;
        }
        if (reply.kind() == Wire.HELD) {
            loss.held(reply.probe(), reply.node(), reply.seqs());
            return;
        }
        if (reply.kind() == Wire.STARTED) {
            for (long seq : reply.seqs()) {
                InFlight.Task t = inFlight.get(seq);
                if (t != null) { // else completed already (cancelled, failed by NodeLoss): dropped
                    loss.started(t, reply.node());
                }
            }
            return;
        }
        InFlight.Task t = inFlight.get(reply.seq());
        if (t == null) {
            return; // completed already (a retried task's first run, a cancelled task): dropped
        }
        if (reply.error() instanceof WorkerCrashedException && loss.mayRetry(t)) {
            resend(t); // the node's worker died under it: as a local pool, queue it again
        } else {
            inFlight.complete(reply.seq(), reply.values(), reply.error());
        }
    }

    private void resend(InFlight.Task t) {
        t.attempts++;
        t.node = null;
        t.sentAt = 0;
        sender.send(t);
    }

    /** Stops the other threads and gives back what the pool holds; then it has terminated. Result thread. */
    private void releaseResources() {
        state.set(TERMINATED);
        poller.interrupt();
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.join();
        try {
            hz.getCluster().removeMembershipListener(membershipListener);
            hz.getLifecycleService().removeLifecycleListener(lifecycleListener);
            if (disconnectedAt == 0) {
                results.destroy(); // left behind while unreachable (a cluster that lost it restarts empty)
                DeadCallers.unregister(hz, caller);
            }
        } catch (RuntimeException e) {
            // the client is shut down or the cluster unreachable: nothing more to give back
        }
        feeders.close();
        client.release(); // the pool's hold on this JVM's client of the cluster
        terminated.complete(null);
    }

    private void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.report("a listener", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private IllegalStateException notRunning() {
        return new IllegalStateException("pool is not running: pool '" + config.name() + "' was "
                + (state.get() == CLOSING ? "closed" : "terminated"));
    }

    // ------------------------------------------------------------------ Engine

    @Override
    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return config.name();
    }

    /**
     * Waits until at least one node with workers is a member. Blocks up to {@code timeout}.
     *
     * @throws TimeoutException when none is within the timeout
     */
    @Override
    public void awaitReady(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (readyCount() == 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("pool '" + config.name() + "': no node of cluster "
                        + client.address().redacted() + " runs workers after " + unit.toMillis(timeout)
                        + " ms; start one with ipckit node --cluster ADDRESS --workers N");
            }
            Thread.sleep(100);
        }
    }

    /** The workers of the nodes that are members now; asks the cluster (one map read). */
    @Override
    public int readyCount() {
        return liveNodes().stream().mapToInt(n -> n.workerPids().size()).sum();
    }

    /** A cluster pool has no directory of this host: null. */
    @Override
    public java.nio.file.Path directory() {
        return null;
    }

    @Override
    public EncodedTask encode(int shape, Object fn, Object[] args) {
        return EncodedTask.of(codec, shape, fn, args);
    }

    @Override
    public long submit(EncodedTask body, Sink sink, boolean leased, Object original) {
        submitting.incrementAndGet();
        try {
            int s = state.get();
            if (!(s == RUNNING || (leased && s == CLOSING))) {
                throw notRunning();
            }
            long seq = seqs.incrementAndGet();
            InFlight.Task t = new InFlight.Task(seq, sink, Wire.sealTask(sealer, caller, seq, body.bytes()), original);
            inFlight.add(t);
            if (state.get() >= TERMINATING && inFlight.remove(seq) != null) {
                throw notRunning(); // terminated meanwhile: the result thread's failAll may have missed it
            }
            sender.send(t);
            return seq;
        } finally {
            submitting.decrementAndGet();
        }
    }

    /** Returns at once: the caller waits for the result thread (a round trip here is a network's). */
    @Override
    public void readOwnResult(long seq, BooleanSupplier done, long deadline) {
    }

    @Override
    public void lease() {
        submitting.incrementAndGet();
        try {
            if (state.get() != RUNNING) {
                throw notRunning();
            }
            leases.incrementAndGet();
        } finally {
            submitting.decrementAndGet();
        }
    }

    @Override
    public void release() {
        leases.decrementAndGet();
        inbox.add((Runnable) () -> { });
    }

    @Override
    public void addBatchListener(Runnable r) {
        batchListeners.add(r);
    }

    @Override
    public void removeBatchListener(Runnable r) {
        batchListeners.remove(r);
    }

    @Override
    public void runFeeder(Runnable feed) {
        feeders.run(feed);
    }

    /**
     * Forgets task {@code seq} (a reply for it is dropped) and tells the nodes, as a local pool does: a node
     * that holds it and has not started it never runs it, one that runs it goes on only without
     * {@code stopRunning} (with it, the node kills the worker running it and starts another), and a node
     * that takes it later drops it. Does not block: the cancellation is published asynchronously; when the
     * cluster is unreachable it is lost, and the task runs (its result dropped).
     */
    @Override
    public void cancel(long seq, boolean stopRunning) {
        if (inFlight.remove(seq) == null) {
            return;
        }
        try {
            cancels.publishAsync(Wire.sealCancel(sealer, new Wire.Cancel(caller, seq, stopRunning)));
        } catch (RuntimeException e) {
            log.warn("the cancellation of task " + seq + " did not reach the cluster's nodes (" + e
                    + "); the task may run, its result is dropped");
        }
    }

    @Override
    public int cancelNotStarted() {
        int n = 0;
        for (InFlight.Task t : inFlight.snapshot()) {
            if (t.node == null && inFlight.remove(t)) {
                CancellationException e = new CancellationException("task " + t.seq + " of pool '" + config.name()
                        + "' was cancelled before it started: the pool was shut down with its pending tasks cancelled");
                inbox.add((Runnable) () -> t.sink.complete(new Object[0], e));
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean isRunning() {
        return state.get() == RUNNING;
    }

    @Override
    public boolean isShutdown() {
        return state.get() != RUNNING;
    }

    @Override
    public boolean isTerminated() {
        return state.get() == TERMINATED && terminated.isDone();
    }

    @Override
    public boolean isTerminating() {
        return state.get() >= TERMINATING;
    }

    @Override
    public boolean onResultThread() {
        return Thread.currentThread() == resultThread;
    }

    /** Pids of the workers of the nodes that are members now, sorted; asks the cluster (one map read). */
    @Override
    public List<Long> workerPids() {
        List<Long> pids = new ArrayList<>();
        for (Wire.NodeInfo n : liveNodes()) {
            pids.addAll(n.workerPids());
        }
        pids.sort(null);
        return pids;
    }

    @Override
    public int pendingCount() {
        return inFlight.size();
    }

    @Override
    public void initiateClose() {
        state.compareAndSet(RUNNING, CLOSING);
        inbox.add((Runnable) () -> { });
    }

    /**
     * Fails the tasks not completed with a {@link CancellationException} (their nodes run them to their end;
     * the results are dropped) and stops the engine's threads. Waits up to 30 s, except on the result thread.
     */
    @Override
    public void terminate() {
        int s;
        while ((s = state.get()) < TERMINATING && !state.compareAndSet(s, TERMINATING)) {
            Thread.onSpinWait();
        }
        inbox.add((Runnable) () -> { });
        if (!onResultThread()) {
            try {
                terminated.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // bounded wait passed: the threads end on their own
            }
        }
    }

    @Override
    public List<Object> terminateNow() {
        List<Object> notStarted = new ArrayList<>();
        for (InFlight.Task t : inFlight.snapshot()) {
            if (t.node == null && t.original != null) {
                notStarted.add(t.original);
            }
        }
        terminate();
        return notStarted;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            terminated.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    @Override
    public void awaitTerminationUninterruptibly(Runnable onInterrupt) {
        boolean interrupted = false;
        while (true) {
            try {
                terminated.get();
                break;
            } catch (InterruptedException e) {
                if (!interrupted) {
                    interrupted = true;
                    onInterrupt.run();
                }
            } catch (java.util.concurrent.ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
