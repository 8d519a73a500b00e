package io.ipckit.pool.internal.caller;

import io.ipckit.core.Channel;
import io.ipckit.core.ChannelClosedException;
import io.ipckit.core.Codec;
import io.ipckit.core.Space;
import io.ipckit.core.internal.AgentRunner;
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
 * the {@link ResultAgent} (its duty cycle, run by an {@link AgentRunner} that idles with the
 * {@link InboxIdleStrategy}) and the {@link WorkerSupervisor} (spawn, death, retries, claim
 * scan, timeouts, boot staggering). Every submitted
 * task completes: with its result, its error, a {@link WorkerCrashedException}, a {@link TimeoutException}
 * or, when the pool ends first, a {@link CancellationException}.
 *
 * <p>Thread role: every public method is for any thread; none blocks unless it says so.
 */
public final class LocalEngine implements Engine {
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
    /** The pool's MBean (JMX is opt-in: {@code -Dipckit.jmx=true}); a no-op registration otherwise. */
    private volatile io.ipckit.core.internal.jmx.Jmx.Registration mbean = io.ipckit.core.internal.jmx.Jmx.Registration.NONE;
    private final ResultAgent agent;
    private final AgentRunner runner;

    /**
     * Creates the space and starts the first {@link WorkerSupervisor#BOOT_AT_ONCE} worker JVMs, then opens
     * the channels while they boot: a JVM's first Chronicle queue costs a few hundred milliseconds, here
     * and in each worker, and this way they overlap. Workers wait for the slots file, written last, before
     * they open anything. The result thread starts the other workers, one as each booting worker is ready
     * (or has booted for a while).
     */
    private LocalEngine(Config config) {
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
        String resultThreadName = "ipckit-pool-results-" + config.name();
        this.resultThread = new Thread(this::runResultThread, resultThreadName);
        this.resultThread.setDaemon(true);
        this.inbox = new Inbox(resultThread);
        this.supervisor = new WorkerSupervisor(config, lifecycle, pending, processes, inbox, launcher,
                slots, tasks, s.directory(), codec, log, this::drainResults, initial, startDeadline,
                lastFirstSpawn);
        this.reader = new ResultReader(results, codec, pending, inbox, log);
        this.agent = new ResultAgent(resultThreadName, codec, reader, lifecycle, pending, processes, supervisor,
                inbox, bells, log, this::releaseResources);
        this.runner = new AgentRunner(new InboxIdleStrategy(inbox, pending, lifecycle, supervisor),
                this::resultThreadThrew, agent);
        this.shutdownHook = new Thread(this::terminate, "ipckit-pool-shutdown-" + config.name());
    }

    private void runResultThread() {
        runner.run();
    }

    /** What the result thread's cycle lets through is reported and the cycles go on. Result thread. */
    private boolean resultThreadThrew(Throwable t) {
        log.report("the result thread", t);
        return true;
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
        mbean.close();
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
    public static LocalEngine start(Config config) {
        LocalEngine e = new LocalEngine(config);
        e.mbean = PoolMetrics.register(e);
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
     * Removes the hook that terminates the pool (killing its workers) when this JVM shuts down, for an owner
     * that ends the pool itself at shutdown: a cluster node lets its running tasks finish first. Its workers
     * still exit when this JVM is gone. Any thread; idempotent.
     */
    public void keepWorkersAtShutdown() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already: the hook runs
        }
    }

    @Override
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

    @Override
    public int readyCount() {
        return processes.readyCount();
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public java.nio.file.Path directory() {
        return space.directory();
    }

    @Override
    public EncodedTask encode(int shape, Object fn, Object[] args) {
        return EncodedTask.of(codec, shape, fn, args);
    }

    @Override
    public long submit(EncodedTask body, Sink sink, boolean leased, Object original) {
        return submit(body, sink, leased, original, true);
    }

    /** Its result is read by the caller: the result thread is not woken for it (see {@link Inbox}). */
    @Override
    public long submitForCaller(EncodedTask body, Sink sink) {
        return submit(body, sink, false, null, false);
    }

    private long submit(EncodedTask body, Sink sink, boolean leased, Object original, boolean wakeResultThread) {
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
            if (wakeResultThread) {
                inbox.taskSubmitted();
            }
            return seq;
        } finally {
            lifecycle.exitSubmit();
        }
    }

    @Override
    public void readOwnResult(long seq, java.util.function.BooleanSupplier done, long deadline) {
        reader.ownReading(1);
        try {
            while (!done.getAsBoolean()) {
                if (System.nanoTime() - deadline >= 0) {
                    inbox.taskSubmitted(); // the result thread takes it over: it was not woken when it was submitted
                    return;
                }
                if (!reader.readFor(seq)) {
                    Thread.yield();
                }
            }
        } finally {
            reader.ownReading(-1);
        }
    }

    @Override
    public void lease() {
        lifecycle.lease();
    }

    @Override
    public void release() {
        lifecycle.release();
    }

    @Override
    public void addBatchListener(Runnable r) {
        inbox.addBatchListener(r);
    }

    @Override
    public void removeBatchListener(Runnable r) {
        inbox.removeBatchListener(r);
    }

    @Override
    public void runFeeder(Runnable feed) {
        feeders.run(feed);
    }

    @Override
    public void cancel(long seq, boolean stopRunning) {
        if (pending.remove(seq) != null) {
            slots.cancel(seq);
            if (stopRunning) {
                inbox.post(() -> supervisor.killRunning(seq));
            }
        }
    }

    @Override
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

    @Override
    public boolean isRunning() {
        return lifecycle.isRunning();
    }

    @Override
    public boolean isShutdown() {
        return lifecycle.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return lifecycle.isTerminated();
    }

    @Override
    public boolean isTerminating() {
        return lifecycle.isTerminating();
    }

    @Override
    public boolean onResultThread() {
        return inbox.onResultThread();
    }

    @Override
    public List<Long> workerPids() {
        return processes.livePids();
    }

    @Override
    public int pendingCount() {
        return pending.size();
    }

    @Override
    public void initiateClose() {
        lifecycle.close();
        inbox.wake();
    }

    @Override
    public void terminate() {
        terminate(null);
        if (!onResultThread()) {
            lifecycle.awaitQuietly(30_000);
        }
    }

    @Override
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

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return lifecycle.awaitTermination(timeout, unit);
    }

    @Override
    public void awaitTerminationUninterruptibly(Runnable onInterrupt) {
        lifecycle.awaitTerminationUninterruptibly(onInterrupt);
    }
}
