package io.ipckit.pool.internal.caller;

import io.ipckit.core.internal.Closer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A pool of a cluster's workers plus worker JVMs of this host ({@code Pool.builder().cluster(ADDRESS)
 * .processes(n)}): each task runs on a local worker when one is free, else it goes to the cluster.
 *
 * <pre>
 *   submit ──▶ LocalFirstEngine ──┬─ local worker free? ──▶ local   (a LocalEngine: n worker JVMs here)
 *                                 └─ else ───────────────▶ remote  (another engine, the cluster's)
 * </pre>
 *
 * <p>Local workers never take from the cluster's task queue: a task this caller hands to the cluster is run
 * by the nodes, whose deaths the cluster engine accounts for; a task run here is this host's. Each task
 * lives in exactly one of the two engines, which give it its one outcome, crash handling and retries.
 *
 * <p>A task's number carries its engine in its lowest bit ({@code inner << 1 | 1} for local). "Free" is
 * counted here: local tasks submitted and neither completed nor cancelled, against the local workers ready;
 * while the local workers boot, every task goes to the cluster.
 *
 * <p>The two engines have a result thread each; their completions pass one lock, so callbacks run one at a
 * time, as on a pool's single result thread (user code in a callback must not wait for the other engine's
 * result, as it must not wait for any result there).
 *
 * <p>Threads: every method is for any thread; none blocks unless {@link Engine} says it does.
 */
public final class LocalFirstEngine implements Engine {
    private final Engine local;
    private final Engine remote;
    private final Config config;
    /** Local tasks submitted and not completed. */
    private final AtomicInteger localBusy = new AtomicInteger();
    /** The local tasks not completed nor cancelled, by their local number. */
    private final ConcurrentHashMap<Long, LocalTask> localTasks = new ConcurrentHashMap<>();
    /** Held while a sink of either engine runs: callbacks are never concurrent. */
    private final Object completions = new Object();

    /**
     * @param local the engine of this host's workers (its {@link Config#size()} is their number)
     * @param remote the engine of the other workers; this takes both over and ends both
     */
    public LocalFirstEngine(Engine local, Engine remote) {
        this.local = local;
        this.remote = remote;
        this.config = local.config().withSize(local.config().size() + remote.config().size());
    }

    private static boolean isLocal(long seq) {
        return (seq & 1) != 0;
    }

    /** Claims a local worker when one is free (false: the task goes to the remote engine). */
    private boolean claimLocal() {
        int ready = local.readyCount();
        while (true) {
            int busy = localBusy.get();
            if (busy >= ready) {
                return false;
            }
            if (localBusy.compareAndSet(busy, busy + 1)) {
                return true;
            }
        }
    }

    private Sink serialized(Sink sink) {
        return (values, error) -> {
            synchronized (completions) {
                sink.complete(values, error);
            }
        };
    }

    /**
     * A task on a local worker: it gives its claim back once, when it completes or is cancelled (a
     * cancelled task's sink is never called). Known by its local number in {@link #localTasks} from when
     * {@code submit} returns until then.
     */
    private final class LocalTask implements Sink {
        private final Sink sink;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile long seq = -1;

        LocalTask(Sink sink) {
            this.sink = sink;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                localBusy.decrementAndGet();
                long s = seq;
                if (s >= 0) {
                    localTasks.remove(s, this);
                }
            }
        }

        /** After submit returned {@code s}: findable by it, unless it is through already. */
        void submitted(long s) {
            seq = s;
            localTasks.put(s, this);
            if (released.get()) {
                localTasks.remove(s, this);
            }
        }

        @Override
        public void complete(Object[] values, Throwable error) {
            release();
            synchronized (completions) {
                sink.complete(values, error);
            }
        }
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return config.name();
    }

    /** Waits for every local worker, then for the remote engine to be ready, within one {@code timeout}. */
    @Override
    public void awaitReady(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        local.awaitReady(timeout, unit);
        remote.awaitReady(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Local workers ready plus the remote engine's (for a cluster, one read of the cluster). */
    @Override
    public int readyCount() {
        return local.readyCount() + remote.readyCount();
    }

    /** The local workers' space. */
    @Override
    public java.nio.file.Path directory() {
        return local.directory();
    }

    @Override
    public EncodedTask encode(int shape, Object fn, Object[] args) {
        return local.encode(shape, fn, args);
    }

    @Override
    public long submit(EncodedTask body, Sink sink, boolean leased, Object original) {
        return submit(body, sink, leased, original, false);
    }

    @Override
    public long submitForCaller(EncodedTask body, Sink sink) {
        return submit(body, sink, false, null, true);
    }

    private long submit(EncodedTask body, Sink sink, boolean leased, Object original, boolean callerReads) {
        boolean toLocal;
        if (local.isRunning()) {
            toLocal = claimLocal();
        } else {
            // closed, terminated or broken: the local engine refuses with the reason, or takes a leased
            // task (an imap's) while closing; both parts close together
            localBusy.incrementAndGet();
            toLocal = true;
        }
        if (!toLocal) {
            return remote.submit(body, serialized(sink), leased, original) << 1;
        }
        LocalTask t = new LocalTask(sink);
        long seq;
        try {
            seq = callerReads ? local.submitForCaller(body, t) : local.submit(body, t, leased, original);
        } catch (RuntimeException | Error e) {
            t.release();
            throw e;
        }
        t.submitted(seq);
        return seq << 1 | 1;
    }

    @Override
    public void readOwnResult(long seq, BooleanSupplier done, long deadline) {
        if (isLocal(seq)) {
            local.readOwnResult(seq >>> 1, done, deadline);
        } else {
            remote.readOwnResult(seq >>> 1, done, deadline);
        }
    }

    @Override
    public void lease() {
        local.lease();
        try {
            remote.lease();
        } catch (RuntimeException | Error e) {
            local.release();
            throw e;
        }
    }

    @Override
    public void release() {
        local.release();
        remote.release();
    }

    @Override
    public void addBatchListener(Runnable r) {
        local.addBatchListener(r);
        remote.addBatchListener(r);
    }

    @Override
    public void removeBatchListener(Runnable r) {
        local.removeBatchListener(r);
        remote.removeBatchListener(r);
    }

    @Override
    public void runFeeder(Runnable feed) {
        local.runFeeder(feed);
    }

    @Override
    public void cancel(long seq, boolean stopRunning) {
        if (isLocal(seq)) {
            LocalTask t = localTasks.get(seq >>> 1);
            local.cancel(seq >>> 1, stopRunning);
            if (t != null) {
                t.release(); // its worker takes the next local task (after the cancelled one, if it runs on)
            }
        } else {
            remote.cancel(seq >>> 1, stopRunning);
        }
    }

    @Override
    public int cancelNotStarted() {
        return local.cancelNotStarted() + remote.cancelNotStarted();
    }

    @Override
    public boolean isRunning() {
        return local.isRunning() && remote.isRunning();
    }

    @Override
    public boolean isShutdown() {
        return local.isShutdown() || remote.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return local.isTerminated() && remote.isTerminated();
    }

    @Override
    public boolean isTerminating() {
        return local.isTerminating() || remote.isTerminating();
    }

    @Override
    public boolean onResultThread() {
        return local.onResultThread() || remote.onResultThread();
    }

    /** The local workers' pids and the remote engine's, sorted. */
    @Override
    public List<Long> workerPids() {
        List<Long> pids = new ArrayList<>(local.workerPids());
        pids.addAll(remote.workerPids());
        pids.sort(null);
        return pids;
    }

    @Override
    public int pendingCount() {
        return local.pendingCount() + remote.pendingCount();
    }

    @Override
    public void initiateClose() {
        new Closer().run("closing pool '" + name() + "''s local workers", local::initiateClose)
                .run("closing pool '" + name() + "''s remote engine", remote::initiateClose).rethrow();
    }

    /**
     * Terminates both parts. On either part's result thread (a callback calling it) it waits for neither:
     * the other part's result thread may be waiting for the completions lock this thread holds, so a helper
     * thread terminates both, as a pool's terminate() on its own result thread does not wait either.
     */
    @Override
    public void terminate() {
        if (onResultThread()) {
            Thread t = new Thread(this::terminateBoth, "ipckit-pool-terminate-" + name());
            t.setDaemon(true);
            t.start();
            return;
        }
        terminateBoth();
    }

    private void terminateBoth() {
        new Closer().run("terminating pool '" + name() + "''s local workers", local::terminate)
                .run("terminating pool '" + name() + "''s remote engine", remote::terminate).rethrow();
    }

    @Override
    public List<Object> terminateNow() {
        List<Object> notStarted = new ArrayList<>(local.terminateNow());
        notStarted.addAll(remote.terminateNow());
        return notStarted;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        return local.awaitTermination(timeout, unit)
                && remote.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void awaitTerminationUninterruptibly(Runnable onInterrupt) {
        local.awaitTerminationUninterruptibly(onInterrupt);
        boolean interrupted = Thread.interrupted();
        remote.awaitTerminationUninterruptibly(onInterrupt);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
