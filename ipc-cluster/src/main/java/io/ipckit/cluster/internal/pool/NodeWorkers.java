package io.ipckit.cluster.internal.pool;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import io.ipckit.cluster.ForgedPayloadException;
import io.ipckit.cluster.internal.Sealer;
import io.ipckit.core.Codec;
import io.ipckit.pool.Pool;
import io.ipckit.pool.internal.caller.Config;
import io.ipckit.pool.internal.caller.EncodedTask;
import io.ipckit.pool.internal.caller.LocalEngine;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A node's share of the cluster's pools: a local ipckit pool of N worker JVMs (tasks inside the host travel
 * over ipckit's own channels) fed from the cluster's task queue ({@link Wire#TASKS}).
 *
 * <p>One thread, {@code ipckit-node-tasks}, takes task envelopes while the node has room for them (its
 * {@link TakeWindow}: one per free worker, and while short tasks keep coming a few milliseconds of work
 * ahead, so its workers do not wait for the cluster between tasks), as many as there is room for in one
 * call; when none is waiting it waits for one with a blocking poll. So nodes compete for tasks: a node
 * that joins takes work as soon as its workers are up, a busy node leaves the queue to the others. It
 * tells the caller which node took the task (STARTED), then hands the task's own message to
 * the local pool as it came ({@link EncodedTask#ofMessage}: the user's function and arguments are not
 * decoded on the node). {@link NodeReplies} puts the replies on the callers' result queues, off the local
 * pool's result thread. A payload that cannot be opened (another token, altered) is kept on
 * {@link Wire#DEAD} and reported on standard error.
 *
 * <p>A caller's cancellation ({@link Wire#CANCELS}) reaches every node; the one holding the task cancels it
 * in its local pool as a local pool's own ({@link HeldTasks}: each task ends once, completed or cancelled).
 * A caller's probe ({@link Wire#PROBES}: which of my tasks do you hold?) is answered by the taker thread
 * between two takes, so every task it took before is named unless its outcome is ahead of the answer
 * ({@link NodeReplies}); once the node stops taking, by the thread the probe arrives on.
 *
 * <p>{@link #close()} leaves cleanly: no new task is taken, the tasks taken (running or waiting in the
 * local pool) finish and their outcomes are sent (at most {@link #DRAIN}), then the workers exit. A node
 * killed with its host loses the tasks it holds; each caller sees the member leave and fails or retries them
 * ({@link ClusterEngine}).
 *
 * <p>Any thread may call {@link #start} and {@link #close}; the rest runs on the taker thread, the local
 * pool's result thread (completions), a Hazelcast event thread (cancellations, probes) and the reply thread.
 */
public final class NodeWorkers implements AutoCloseable {
    /** How long {@link #close()} lets the tasks taken finish. */
    public static final Duration DRAIN = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 500;

    private final HazelcastInstance hazelcast;
    private final Sealer sealer;
    private final Codec codec = Codec.defaults();
    private final int workers;
    private final Wire.NodeRef me;
    private final LocalEngine engine;
    private final TakeWindow window;
    private final IQueue<byte[]> tasks;
    private final IMap<String, byte[]> nodes;
    private final NodeReplies replies;
    private final HeldTasks held = new HeldTasks();
    private final ITopic<byte[]> cancels;
    private volatile UUID cancelListener;
    private final ITopic<byte[]> probeTopic;
    private volatile UUID probeListener;
    /** Probes to answer, by the taker between two takes (or, once it stopped, by whoever finds them). */
    private final ConcurrentLinkedQueue<Wire.Probe> probes = new ConcurrentLinkedQueue<>();
    private volatile boolean answerDirectly;
    private final Thread taker;
    private volatile boolean taking = true;
    private List<Long> published = List.of();

    private NodeWorkers(HazelcastInstance hazelcast, Sealer sealer, int workers, String host) {
        this.hazelcast = hazelcast;
        this.sealer = sealer;
        this.workers = workers;
        this.me = new Wire.NodeRef(hazelcast.getCluster().getLocalMember().getUuid().toString(), host,
                ProcessHandle.current().pid());
        this.window = new TakeWindow(workers);
        this.tasks = hazelcast.getQueue(Wire.TASKS);
        this.nodes = hazelcast.getMap(Wire.NODES);
        this.replies = new NodeReplies(hazelcast, sealer, me, held);
        this.cancels = hazelcast.getTopic(Wire.CANCELS);
        this.probeTopic = hazelcast.getTopic(Wire.PROBES);
        this.engine = LocalEngine.start(new Config("node-" + me.pid(), workers, 0, Pool.DEFAULT_WORKER_JVM_OPTIONS,
                null, 0, 0, ProcessBuilder.Redirect.INHERIT, TimeUnit.SECONDS.toNanos(60), 64, true));
        engine.keepWorkersAtShutdown(); // the node's own stop drains them (NodeMain's shutdown hook)
        this.taker = new Thread(this::take, "ipckit-node-tasks");
        taker.setDaemon(true);
    }

    /**
     * Starts {@code workers} worker JVMs on this host and begins taking the cluster's tasks. Returns at
     * once; workers boot in the background (the node announces itself in {@link Wire#NODES} when they are
     * ready, or after 60 s). Any thread.
     *
     * @param host this node's host:port, named in the errors callers get when it dies
     * @throws IllegalStateException when the local pool cannot start
     */
    public static NodeWorkers start(HazelcastInstance hazelcast, Sealer sealer, int workers, String host) {
        NodeWorkers w = new NodeWorkers(hazelcast, sealer, workers, host);
        w.replies.start();
        w.cancelListener = w.cancels.addMessageListener(m -> w.cancel(m.getMessageObject()));
        w.probeListener = w.probeTopic.addMessageListener(m -> w.probe(m.getMessageObject()));
        w.taker.start();
        return w;
    }

    /** The local pool's worker pids, a snapshot. Any thread. */
    public List<Long> workerPids() {
        return engine.workerPids();
    }

    private void take() {
        try {
            engine.awaitReady(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("ipckit node: its workers are not all ready (" + e + "); it takes tasks anyway");
        }
        List<byte[]> taken = new java.util.ArrayList<>();
        while (taking) {
            answerProbes();
            publish();
            try {
                int room = window.awaitRoom(POLL_MILLIS);
                if (room == 0) {
                    continue;
                }
                try {
                    tasks.drainTo(taken, room); // those waiting, as many as there is room for, in one call
                    if (taken.isEmpty()) { // none waiting: wait for the next one with the free workers' room
                        window.release(room);
                        room = window.restart();
                        if (room > 0) {
                            byte[] first = tasks.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                            if (first != null) {
                                taken.add(first);
                                if (room > 1) {
                                    tasks.drainTo(taken, room - 1);
                                }
                            }
                        }
                    }
                } finally {
                    window.release(room - taken.size());
                }
                for (byte[] sealed : taken) {
                    run(sealed);
                }
                taken.clear();
            } catch (InterruptedException | HazelcastInstanceNotActiveException e) {
                break;
            } catch (RuntimeException e) {
                System.err.println("ipckit node: taking a task failed (" + e + "); retrying");
                sleep(200);
            }
        }
        // nothing is taken any more: from now on a probe is answered where it arrives (it is added to
        // the probes before the flag is read there, and the flag is set here before they are looked at)
        answerDirectly = true;
        answerProbes();
    }

    /** Runs one task envelope, which holds a place in the window until it completes. Taker thread. */
    private void run(byte[] sealed) {
        Wire.Task t;
        try {
            t = Wire.openTask(sealer, sealed);
        } catch (ForgedPayloadException | IllegalArgumentException e) {
            window.release(1);
            System.err.println("ipckit node: a task envelope is refused and kept on " + Wire.DEAD + ": " + e.getMessage());
            replies.dead(sealed);
            return;
        }
        String queue = Wire.results(t.caller());
        HeldTasks.Held h = held.take(t.caller(), t.seq());
        if (h == null) {
            window.release(1); // cancelled before this node took it
            return;
        }
        replies.started(queue, t.seq());
        long submittedAt = System.nanoTime();
        try {
            long local = engine.submit(EncodedTask.ofMessage(t.message()), (values, error) -> {
                if (held.end(h)) { // else cancelled: its caller forgot it
                    window.completed(submittedAt);
                    replies.outcome(h, () -> Wire.sealOutcome(sealer, codec, queue, t.seq(), values, error));
                }
            }, false, null);
            h.localSeq = local;
            if (h.cancelled) {
                engine.cancel(local, h.stopRunning); // cancelled while it was being submitted
            }
        } catch (RuntimeException e) {
            if (held.end(h)) {
                window.release(1);
                replies.outcome(h, () -> Wire.sealOutcome(sealer, codec, queue, t.seq(), new Object[0], e));
            }
        }
    }

    /**
     * A cancellation from a caller (a Hazelcast event thread): a task held here is cancelled in the local
     * pool as a local pool's own (not started: it never runs; running: its worker is killed when asked to
     * stop it, and replaced), its place freed and no outcome sent; one not held yet is dropped when taken.
     */
    private void cancel(byte[] sealed) {
        Wire.Cancel c;
        try {
            c = Wire.openCancel(sealer, sealed);
        } catch (ForgedPayloadException | IllegalArgumentException e) {
            System.err.println("ipckit node: a cancellation is refused and kept on " + Wire.DEAD + ": " + e.getMessage());
            replies.dead(sealed);
            return;
        }
        HeldTasks.Held h = held.cancel(c.caller(), c.seq(), c.stopRunning());
        if (h == null) {
            return;
        }
        window.release(1);
        long local = h.localSeq;
        if (local >= 0) {
            engine.cancel(local, c.stopRunning());
        }
    }

    /** A probe from a caller (a Hazelcast event thread): answered by the taker, or here once it stopped. */
    private void probe(byte[] sealed) {
        try {
            probes.add(Wire.openProbe(sealer, sealed));
        } catch (ForgedPayloadException | IllegalArgumentException e) {
            System.err.println("ipckit node: a probe is refused and kept on " + Wire.DEAD + ": " + e.getMessage());
            replies.dead(sealed);
            return;
        }
        if (answerDirectly) {
            answerProbes();
        }
    }

    /** Hands the probes waiting to the reply thread, each once. The taker thread, or any once it stopped. */
    private void answerProbes() {
        Wire.Probe p;
        while ((p = probes.poll()) != null) {
            replies.answer(p.caller(), p.id());
        }
    }

    /** Announces this node's workers in {@link Wire#NODES} when they changed. Taker thread. */
    private void publish() {
        List<Long> pids = engine.workerPids();
        if (!pids.equals(published)) {
            nodes.set(me.member(), Wire.sealNode(sealer, new Wire.NodeInfo(me.host(), me.pid(), workers, pids)));
            published = pids;
        }
    }

    /**
     * Leaves cleanly: takes no more tasks, lets those taken finish and sends their outcomes (at most
     * {@link #DRAIN}), stops the workers and withdraws this node from {@link Wire#NODES}. Blocks; any
     * thread; idempotent. Call before the member shuts down.
     */
    @Override
    public void close() {
        taking = false;
        join(taker, 5_000);
        try {
            if (cancelListener != null) {
                cancels.removeMessageListener(cancelListener);
            }
        } catch (RuntimeException e) {
            // the member is going away
        }
        try {
            if (!window.awaitEmpty(DRAIN.toMillis())) {
                System.err.println("ipckit node: tasks still running after " + DRAIN.toSeconds() + " s; stopping");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (probeListener != null) {
                probeTopic.removeMessageListener(probeListener);
            }
        } catch (RuntimeException e) {
            // the member is going away
        }
        replies.stop(10_000);
        engine.initiateClose();
        try {
            engine.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.terminate();
        try {
            nodes.delete(me.member());
        } catch (RuntimeException e) {
            // the member is going away: callers see it leave
        }
    }

    private static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
