package io.ipckit.cluster.internal.pool;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import io.ipckit.cluster.ForgedPayloadException;
import io.ipckit.cluster.internal.Sealer;
import io.ipckit.core.Codec;
import io.ipckit.pool.Pool;
import io.ipckit.pool.internal.caller.Config;
import io.ipckit.pool.internal.caller.EncodedTask;
import io.ipckit.pool.internal.caller.LocalEngine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A node's share of the cluster's pools: a local ipckit pool of N worker JVMs (tasks inside the host travel
 * over ipckit's own channels) fed from the cluster's task queue ({@link Wire#TASKS}).
 *
 * <p>One thread, {@code ipckit-node-tasks}, takes a task envelope only while a worker is free (a semaphore
 * of N permits), so nodes compete for tasks: a node that joins takes work as soon as its workers are up, a
 * busy node leaves the queue to the others. It tells the caller which node took the task (STARTED), then
 * hands the task's own message to the local pool as it came ({@link EncodedTask#ofMessage}: the user's
 * function and arguments are not decoded on the node); when several workers are free it takes as many
 * tasks in one call. One thread, {@code ipckit-node-replies}, seals the replies and puts them on their
 * callers' result queues, those waiting for one queue in one call, off the local pool's result thread. A payload that cannot
 * be opened (another token, altered) is kept on {@link Wire#DEAD} and reported on standard error.
 *
 * <p>{@link #close()} leaves cleanly: no new task is taken, the running ones finish and their outcomes are
 * sent (at most {@link #DRAIN}), then the workers exit. A node killed with its host loses its running
 * tasks; each caller sees the member leave and fails or retries them ({@link ClusterEngine}).
 *
 * <p>Any thread may call {@link #start} and {@link #close}; the rest runs on the two threads above.
 */
public final class NodeWorkers implements AutoCloseable {
    /** How long {@link #close()} lets running tasks finish. */
    public static final Duration DRAIN = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 500;

    private final HazelcastInstance hazelcast;
    private final Sealer sealer;
    private final Codec codec = Codec.defaults();
    private final int workers;
    private final Wire.NodeRef me;
    private final LocalEngine engine;
    private final Semaphore free;
    private final IQueue<byte[]> tasks;
    private final IMap<String, byte[]> nodes;
    private final LinkedBlockingQueue<Out> replies = new LinkedBlockingQueue<>();
    private final Thread taker;
    private final Thread replier;
    private volatile boolean taking = true;
    private volatile boolean replying = true;
    private List<Long> published = List.of();

    /** A payload for the queue {@code queue}, sealed on the reply thread. */
    private record Out(String queue, java.util.function.Supplier<byte[]> payload) {
    }

    private NodeWorkers(HazelcastInstance hazelcast, Sealer sealer, int workers, String host) {
        this.hazelcast = hazelcast;
        this.sealer = sealer;
        this.workers = workers;
        this.me = new Wire.NodeRef(hazelcast.getCluster().getLocalMember().getUuid().toString(), host,
                ProcessHandle.current().pid());
        this.free = new Semaphore(workers);
        this.tasks = hazelcast.getQueue(Wire.TASKS);
        this.nodes = hazelcast.getMap(Wire.NODES);
        this.engine = LocalEngine.start(new Config("node-" + me.pid(), workers, 0, Pool.DEFAULT_WORKER_JVM_OPTIONS,
                null, 0, 0, ProcessBuilder.Redirect.INHERIT, TimeUnit.SECONDS.toNanos(60), 64, true));
        engine.keepWorkersAtShutdown(); // the node's own stop drains them (NodeMain's shutdown hook)
        this.taker = new Thread(this::take, "ipckit-node-tasks");
        this.replier = new Thread(this::reply, "ipckit-node-replies");
        taker.setDaemon(true);
        replier.setDaemon(true);
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
        w.replier.start();
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
        while (taking) {
            publish();
            try {
                if (!free.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                List<byte[]> taken = new java.util.ArrayList<>();
                int held = 1;
                try {
                    byte[] first = tasks.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (first != null) {
                        taken.add(first);
                        held += free.drainPermits(); // as many more as workers are free, in one call
                        if (held > 1) {
                            tasks.drainTo(taken, held - 1);
                        }
                    }
                } finally {
                    free.release(held - taken.size());
                }
                for (byte[] sealed : taken) {
                    run(sealed);
                }
            } catch (InterruptedException | HazelcastInstanceNotActiveException e) {
                break;
            } catch (RuntimeException e) {
                System.err.println("ipckit node: taking a task failed (" + e + "); retrying");
                sleep(200);
            }
        }
    }

    /** Runs one task envelope; holds one permit, given back when the task completes. Taker thread. */
    private void run(byte[] sealed) {
        Wire.Task t;
        try {
            t = Wire.openTask(sealer, sealed);
        } catch (ForgedPayloadException | IllegalArgumentException e) {
            free.release();
            System.err.println("ipckit node: a task envelope is refused and kept on " + Wire.DEAD + ": " + e.getMessage());
            replies.add(new Out(Wire.DEAD, () -> sealed));
            return;
        }
        String queue = Wire.results(t.caller());
        replies.add(new Out(queue, () -> Wire.sealStarted(sealer, queue, t.seq(), me)));
        try {
            engine.submit(EncodedTask.ofMessage(t.message()), (values, error) -> {
                free.release();
                replies.add(new Out(queue, () -> Wire.sealOutcome(sealer, codec, queue, t.seq(), values, error)));
            }, false, null);
        } catch (RuntimeException e) {
            free.release();
            replies.add(new Out(queue, () -> Wire.sealOutcome(sealer, codec, queue, t.seq(), new Object[0], e)));
        }
    }

    /**
     * Reply thread: seals the waiting replies and puts them on their queues, all those of one queue in one
     * {@code addAll} (in order: a task's STARTED before its OUTCOME).
     */
    private void reply() {
        List<Out> batch = new java.util.ArrayList<>();
        while (replying || !replies.isEmpty()) {
            try {
                Out o = replies.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (o == null) {
                    continue;
                }
                batch.add(o);
                replies.drainTo(batch, 255);
            } catch (InterruptedException e) {
                return;
            }
            java.util.Map<String, List<byte[]>> byQueue = new java.util.LinkedHashMap<>();
            for (Out o : batch) {
                byQueue.computeIfAbsent(o.queue(), q -> new java.util.ArrayList<>()).add(o.payload().get());
            }
            batch.clear();
            for (var e : byQueue.entrySet()) {
                try {
                    hazelcast.<byte[]>getQueue(e.getKey()).addAll(e.getValue());
                } catch (HazelcastInstanceNotActiveException stopped) {
                    return;
                } catch (RuntimeException failed) {
                    System.err.println("ipckit node: " + e.getValue().size() + " replies could not be sent to "
                            + e.getKey() + " (" + failed + "); its caller sees the tasks fail when this node leaves");
                }
            }
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
     * Leaves cleanly: takes no more tasks, lets the running ones finish and sends their outcomes (at most
     * {@link #DRAIN}), stops the workers and withdraws this node from {@link Wire#NODES}. Blocks; any
     * thread; idempotent. Call before the member shuts down.
     */
    @Override
    public void close() {
        taking = false;
        join(taker, 5_000);
        try {
            if (!free.tryAcquire(workers, DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("ipckit node: tasks still running after " + DRAIN.toSeconds() + " s; stopping");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        replying = false;
        join(replier, 10_000);
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
