package io.ipckit.pool.internal.caller;

import io.ipckit.core.Channel;
import io.ipckit.core.ChannelClosedException;
import io.ipckit.core.Codec;
import io.ipckit.core.SerializationException;
import io.ipckit.core.Space;
import io.ipckit.core.internal.Uninterruptible;
import io.ipckit.pool.WorkerCrashedException;
import io.ipckit.pool.internal.PoolFiles;
import io.ipckit.pool.internal.WorkerSlots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The machinery behind {@code Pool} and {@code ProcessPoolExecutor}, as one facade: a space of its own
 * with one task channel (workers compete for its messages) and one result channel, the worker JVMs, and
 * one thread, {@code ipckit-pool-results-<name>}, that reads results, completes tasks, runs callbacks and
 * supervises the workers.
 *
 * <p>Made of: the {@link Lifecycle} (any thread), the {@link PendingTasks} table (callers insert, the
 * result thread completes), the {@link TaskQueue} (any thread puts), the {@link Inbox} (any thread hands
 * the result thread work), the {@link ResultReader} (the result thread reads the result channel, and so
 * does a synchronous {@code apply}'s caller while it spins, for its own result), and on the result thread
 * the {@link ResultAgent} (its duty cycle) and the {@link WorkerSupervisor} (spawn, death, retries, claim
 * scan, timeouts, boot staggering). Every submitted
 * task completes: with its result, its error, a {@link WorkerCrashedException}, a {@link TimeoutException}
 * or, when the pool ends first, a {@link CancellationException}.
 *
 * <p>Thread role: every public method is for any thread; none blocks unless it says so.
 */
public final class Engine {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Config config;
    private final Codec codec = Codec.defaults();
    private final PoolLog log;
    private final Space space;
    private final Lifecycle lifecycle;
    private final PendingTasks pending;
    private final WorkerProcesses processes = new WorkerProcesses();
    private final Inbox inbox;
    private final TaskQueue tasks;
    private final WorkerSlots slots;
    private final Doorbells doorbells;
    private final Feeders feeders;
    private final Thread resultThread;
    private final Thread shutdownHook;
    private final ResultReader reader;
    // The result thread's own: the constructor sets them before that thread starts; other threads only
    // reach them through events posted to the inbox.
    private final WorkerSupervisor supervisor;
    private final ResultAgent agent;

    /**
     * Creates the space and starts the first {@link WorkerSupervisor#BOOT_AT_ONCE} worker JVMs, then opens
     * the channels while they boot: a JVM's first Chronicle queue costs a few hundred milliseconds, here
     * and in each worker, and this way they overlap. Workers wait for the slots file, written last, before
     * they open anything. The result thread starts the other workers, one as each booting worker is ready
     * (or has booted for a while).
     */
    private Engine(Config config) {
        this.config = config;
        this.log = new PoolLog(config.name());
        this.lifecycle = new Lifecycle(config.name());
        this.pending = new PendingTasks(log);
        long startDeadline = System.nanoTime() + config.startupTimeoutNanos();
        Space s = Space.create();
        this.space = s;
        WorkerLauncher launcher = new WorkerLauncher(config, s.directory());
        List<WorkerLauncher.Launched> initial = new ArrayList<>();
        Doorbells bells = null;
        Channel<Object> taskChannel;
        Channel<Object> results;
        try {
            while (initial.size() < Math.min(config.size(), WorkerSupervisor.BOOT_AT_ONCE)) {
                WorkerLauncher.Launched l = launcher.launch(initial.size());
                processes.add(l.process());
                initial.add(l);
            }
            taskChannel = s.channel(PoolFiles.TASKS);
            results = s.channel(PoolFiles.RESULTS);
            if (config.initializer() != null) {
                byte[] init = codec.encode(config.initializer());
                Uninterruptible.call(() -> Files.write(PoolFiles.initializer(s.directory()), init));
            }
            bells = Doorbells.open(s.directory(), config.size());
            this.slots = WorkerSlots.publish(PoolFiles.slots(s.directory()), config.size());
        } catch (IOException e) {
            abandon(s, bells);
            throw new UncheckedIOException("pool '" + config.name() + "': cannot write its initializer: " + e, e);
        } catch (RuntimeException | Error e) {
            abandon(s, bells);
            throw e;
        }
        long lastFirstSpawn = System.nanoTime();
        this.doorbells = bells;
        this.tasks = new TaskQueue(taskChannel, bells, slots);
        this.feeders = new Feeders(config.name());
        this.resultThread = new Thread(this::runResultThread, "ipckit-pool-results-" + config.name());
        this.resultThread.setDaemon(true);
        this.inbox = new Inbox(resultThread);
        this.supervisor = new WorkerSupervisor(config, lifecycle, pending, processes, inbox, launcher,
                slots, tasks, s.directory(), codec, log, this::drainResults, initial, startDeadline,
                lastFirstSpawn);
        this.reader = new ResultReader(results, codec, pending, inbox, log);
        this.agent = new ResultAgent(codec, reader, lifecycle, pending, processes, supervisor, inbox, bells, log,
                this::releaseResources);
        this.shutdownHook = new Thread(this::terminate, "ipckit-pool-shutdown-" + config.name());
    }

    private void runResultThread() {
        agent.run();
    }

    private void drainResults() {
        agent.drainResults();
    }

    /** Creation failed: kill what was started and remove the space. */
    private void abandon(Space s, Doorbells bells) {
        if (bells != null) {
            bells.close();
        }
        processes.killAll();
        try {
            processes.awaitExit(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        s.close();
    }

    /** Releases what the pool holds, once every worker is gone; then it has terminated. Result thread. */
    private void releaseResources() {
        try {
            space.close();
        } catch (RuntimeException e) {
            log.report("removing " + space.directory(), e);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or ran
        }
        feeders.close();
        if (doorbells != null) {
            doorbells.close();
        }
        if (!lifecycle.started().isDone()) {
            lifecycle.started().completeExceptionally(lifecycle.notRunning());
        }
        lifecycle.terminated().complete(null);
    }

    /** A fresh default pool name: {@code pool-1}, {@code pool-2}... */
    public static String nextName() {
        return "pool-" + POOLS.incrementAndGet();
    }

    /**
     * Starts the pool and returns at once: tasks wait on the task channel and each worker takes them as it
     * comes up. A start-up failure (an initializer that throws, a worker that exits before it is ready
     * three times, the start-up timeout) breaks the pool: its tasks fail with that cause, and
     * {@link #awaitReady} throws it.
     */
    public static Engine start(Config config) {
        Engine e = new Engine(config);
        e.lifecycle.started().whenComplete((ready, error) -> {
            if (error != null) {
                e.terminate(error);
            }
        });
        e.resultThread.start();
        try {
            Runtime.getRuntime().addShutdownHook(e.shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            e.terminate();
            throw new IllegalStateException("cannot start pool '" + config.name() + "': the JVM is shutting down");
        }
        return e;
    }

    /**
     * Waits until every worker has started and run the initializer. Any thread.
     *
     * @throws RuntimeException what the initializer threw in a worker (remote stack trace kept, the
     *     caller's attached as a suppressed exception), or an IllegalStateException when a worker could
     *     not start, the start-up timeout passed or the pool was closed first; the pool is broken then
     * @throws TimeoutException when {@code timeout} passes first (the workers go on starting)
     */
    public void awaitReady(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        try {
            lifecycle.started().get(timeout, unit);
        } catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            io.ipckit.core.internal.manager.Remote.attachCallSite(cause, "starting pool '" + config.name() + "'");
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new io.ipckit.core.RemoteException("the initializer of pool '" + config.name()
                    + "' failed in a worker: " + cause, cause);
        } catch (TimeoutException ex) {
            throw new TimeoutException("pool '" + config.name() + "': " + readyCount() + " of its " + config.size()
                    + " workers ready after " + unit.toMillis(timeout) + " ms; the others are still starting");
        }
    }

    /** Live workers ready for tasks (a snapshot). Any thread. */
    public int readyCount() {
        return processes.readyCount();
    }

    public Config config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /** The pool's space directory. */
    public java.nio.file.Path directory() {
        return space.directory();
    }

    /**
     * Encodes a task body. Any thread.
     *
     * @throws SerializationException when the function or an argument cannot be encoded; the message
     *     names the class and the fix
     */
    public EncodedTask encode(int shape, Object fn, Object[] args) {
        return EncodedTask.of(codec, shape, fn, args);
    }

    /**
     * Queues an encoded task; {@code sink} gets its outcome on the result thread. Any thread; does not
     * block (the task channel is unbounded).
     *
     * @param leased the caller holds a {@link #lease()}: allowed after {@link #initiateClose()}
     * @param original what the caller submitted, handed back by {@link #terminateNow()} if never started
     * @return the task's number, for {@link #cancel(long, boolean)}
     * @throws IllegalStateException when the pool is not running
     */
    public long submit(EncodedTask body, Sink sink, boolean leased, Object original) {
        lifecycle.enterSubmit(leased);
        try {
            long seq = pending.add(sink, config.retries() > 0 ? body : null, original);
            try {
                tasks.put(body.message(seq));
            } catch (ChannelClosedException | InterruptedException e) {
                pending.remove(seq);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw lifecycle.notRunning();
            } catch (RuntimeException | Error e) {
                pending.remove(seq); // e.g. MessageTooLargeException: the function and arguments together are too big
                throw e;
            }
            if (lifecycle.isTerminating() && pending.remove(seq) != null) {
                throw lifecycle.notRunning();
            }
            inbox.taskSubmitted();
            return seq;
        } finally {
            lifecycle.exitSubmit();
        }
    }

    /**
     * Lets a caller that waits for task {@code seq} read the result channel itself until {@code done} or
     * until {@code deadline} ({@link System#nanoTime()}), instead of waiting for the result thread to hand
     * its result over: its own result completes the task on this thread. Only for a task whose sink runs
     * no user code (a synchronous {@code apply}). Any thread but the result thread; spins and yields,
     * never parks.
     */
    public void readOwnResult(long seq, java.util.function.BooleanSupplier done, long deadline) {
        while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
            if (!reader.readFor(seq)) {
                Thread.yield();
            }
        }
    }

    /**
     * Takes a lease that lets a producer (an {@code imap} feeder) go on submitting after
     * {@link #initiateClose()}; the pool does not stop its workers before every lease is released.
     *
     * @throws IllegalStateException when the pool is not running
     */
    public void lease() {
        lifecycle.lease();
    }

    /** Releases a {@link #lease()}. */
    public void release() {
        lifecycle.release();
    }

    /**
     * Registers {@code r} to run on the result thread after each burst of results (when the result
     * channel is momentarily empty, or every 256 results): a consumer can be woken once per burst
     * instead of once per result. Any thread.
     */
    public void addBatchListener(Runnable r) {
        inbox.addBatchListener(r);
    }

    /** Removes a listener added with {@link #addBatchListener}. Any thread. */
    public void removeBatchListener(Runnable r) {
        inbox.removeBatchListener(r);
    }

    /**
     * Runs an {@code imap} feeder on one of the pool's feeder threads (reused across calls). Any thread;
     * does not block. The feeder should hold a {@link #lease()}.
     */
    public void runFeeder(Runnable feed) {
        feeders.run(feed);
    }

    /**
     * Cancels task {@code seq} if it has not completed: it is forgotten here and a worker that takes it
     * skips it. A task already running runs to its end and its result is dropped, unless
     * {@code stopRunning}: then its worker is killed (and replaced). Any thread; does not block.
     */
    public void cancel(long seq, boolean stopRunning) {
        if (pending.remove(seq) != null) {
            slots.cancel(seq);
            if (stopRunning) {
                inbox.post(() -> supervisor.killRunning(seq));
            }
        }
    }

    /**
     * Cancels every task not started yet (Python's {@code shutdown(cancel_futures=True)}): each fails with
     * a {@link CancellationException} on the result thread; running tasks go on. A task a worker takes
     * meanwhile runs to its end and its result is dropped, as with {@link #cancel}. Any thread; does not
     * block.
     *
     * @return how many tasks were cancelled
     */
    public int cancelNotStarted() {
        Set<Long> running = slots.runningTasks();
        int n = 0;
        for (Long seq : pending.seqs()) {
            if (running.contains(seq)) {
                continue;
            }
            PendingTasks.Pending p = pending.remove(seq);
            if (p != null) {
                slots.cancel(seq);
                CancellationException e = new CancellationException("task " + seq + " of pool '" + config.name()
                        + "' was cancelled before it started: the pool was shut down with its pending tasks cancelled");
                inbox.post(() -> pending.complete(p, new Object[0], e));
                n++;
            }
        }
        return n;
    }

    /** Whether submissions are accepted. */
    public boolean isRunning() {
        return lifecycle.isRunning();
    }

    /** Whether close or terminate was called. */
    public boolean isShutdown() {
        return lifecycle.isShutdown();
    }

    /** Whether the pool stopped and released everything. */
    public boolean isTerminated() {
        return lifecycle.isTerminated();
    }

    /** Whether terminate was called (or the pool broke). */
    public boolean isTerminating() {
        return lifecycle.isTerminating();
    }

    /** Whether the calling thread is the result thread (where callbacks run; it must not wait for results). */
    public boolean onResultThread() {
        return inbox.onResultThread();
    }

    /** Pids of the live workers, sorted; a snapshot. Any thread. */
    public List<Long> workerPids() {
        return processes.livePids();
    }

    /** Tasks submitted and not yet completed. */
    public int pendingCount() {
        return pending.size();
    }

    /**
     * Stops accepting tasks; the queued ones run, then the workers exit and the space is removed.
     * Any thread; does not wait (see {@link #awaitTermination}).
     */
    public void initiateClose() {
        lifecycle.close();
        inbox.wake();
    }

    /**
     * Kills the workers at once; tasks not completed fail with {@link CancellationException}. Waits (up
     * to 30 s) until everything is released, except on the result thread. Any thread; idempotent.
     */
    public void terminate() {
        terminate(null);
        if (!onResultThread()) {
            lifecycle.awaitQuietly(30_000);
        }
    }

    /**
     * As {@link #terminate()}, returning what was submitted and had not started (best effort).
     */
    public List<Object> terminateNow() {
        List<Object> notStarted = pending.notStarted(slots.runningTasks());
        terminate();
        return notStarted;
    }

    private void terminate(Throwable cause) {
        if (lifecycle.terminate(cause)) {
            processes.killAll();
            inbox.wake();
        }
    }

    /**
     * Waits until the pool released everything.
     *
     * @return false when the timeout passed first
     */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return lifecycle.awaitTermination(timeout, unit);
    }

    /**
     * Waits until the pool has terminated; the first interrupt runs {@code onInterrupt} (which should
     * terminate it) and the interrupt status is restored on return: the close() of Pool and executor.
     */
    public void awaitTerminationUninterruptibly(Runnable onInterrupt) {
        lifecycle.awaitTerminationUninterruptibly(onInterrupt);
    }
}
