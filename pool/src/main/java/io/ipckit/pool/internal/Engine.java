package io.ipckit.pool.internal;

import io.ipckit.core.Channel;
import io.ipckit.core.ChannelClosedException;
import io.ipckit.core.Codec;
import io.ipckit.core.JvmLauncher;
import io.ipckit.core.SerializationException;
import io.ipckit.core.Space;
import io.ipckit.core.internal.Backoff;
import io.ipckit.core.internal.ClassDataSharing;
import io.ipckit.core.internal.Uninterruptible;
import io.ipckit.pool.WorkerCrashedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The machinery behind {@code Pool} and {@code ProcessPoolExecutor}: a space of its own with one task
 * channel (workers compete for its messages) and one result channel, the worker JVMs, and one thread,
 * {@code ipckit-pool-results-<name>}, that reads results, completes tasks, runs callbacks and supervises
 * the workers.
 *
 * <p>Supervision: each worker writes the number of the task it runs in its {@link WorkerSlots slot}.
 * When a worker dies, the result thread first handles every result already in the channel, then fails
 * (or queues again, when retries are allowed) the task the slot names with a
 * {@link WorkerCrashedException}, and starts a replacement. A worker that died between claiming a task
 * and announcing it is found by {@link ClaimScanner}. A task past the per-task timeout fails with a
 * {@link TimeoutException} and its worker is killed and replaced. So every submitted task completes.
 *
 * <p>Thread-safety: {@link #submit}, {@link #cancel}, {@link #initiateClose}, {@link #terminate} and the
 * queries are for any thread; everything else runs on the result thread.
 */
public final class Engine {
    private static final int RUNNING = 0;
    private static final int CLOSING = 1;
    private static final int STOPPING = 2;
    private static final int TERMINATING = 3;
    private static final int TERMINATED = 4;
    /** Longest sleep of the idle result thread: bounds how late it notices a death or a timeout. */
    private static final long IDLE_PARK_NANOS = Backoff.MAX_PARK_NANOS;
    /**
     * Longest sleep of the result thread of a quiet pool (running, every worker ready, nothing pending):
     * whatever needs it then (a submit, a worker's death, close) wakes it.
     */
    private static final long QUIET_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** How often the result thread looks for workers connecting to their doorbells. */
    private static final long ACCEPT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** Replacement workers in a row that die by themselves before they are ready: the pool is broken. */
    private static final int MAX_EARLY_DEATHS = 3;
    /**
     * Replacement workers in a row killed with SIGKILL before they are ready: the pool stops replacing
     * them. More than {@link #MAX_EARLY_DEATHS}, since one kill from outside says nothing of the pool; but
     * a kernel whose OOM killer takes every new worker would otherwise have the pool start JVMs for ever.
     */
    private static final int MAX_KILLED_EARLY = 5;
    /** Exit status of a process killed by SIGKILL (128 + 9). */
    private static final int SIGKILL_STATUS = 137;
    /**
     * Workers that boot at the same time: a booting JVM keeps about one and a half cores busy (its main
     * thread and the JIT compilers), so on a small machine workers booting together only slow each other
     * down, and the first of them is ready later than if it had booted alone.
     */
    static final int BOOT_AT_ONCE = Integer.getInteger("ipckit.pool.bootAtOnce",
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    /** A worker still booting after this long no longer holds back the next one (a slow initializer). */
    private static final long BOOT_STAGGER_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Long.getLong("ipckit.pool.bootStaggerMillis", 1_000));
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Config config;
    private final Codec codec = Codec.defaults();
    private final Space space;
    private final Channel<Object> tasks;
    private final Channel<Object> results;
    private final WorkerSlots slots;
    private final ClassDataSharing cds;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong seqs = new AtomicLong();
    /**
     * The result thread is parking: a submit unparks it, so that the result of a task sent to an idle
     * pool does not wait out the park.
     */
    private volatile boolean resultParked;
    private final AtomicInteger submitting = new AtomicInteger();
    private final AtomicInteger leases = new AtomicInteger();
    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final Set<Runnable> batchListeners = ConcurrentHashMap.newKeySet();
    private final Worker[] workers;
    private final Map<Long, java.lang.Process> processes = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Thread resultThread;
    private final Feeders feeders;
    private final Doorbells doorbells;
    private final Thread shutdownHook;
    private final Object stateLock = new Object();
    private volatile int state = RUNNING;
    private volatile Throwable brokenBy;
    private int slotsReady;
    /** Live workers that are ready (written by the result thread only). */
    private volatile int readyWorkers;
    /** Slots {@code 0..spawned-1} have had a worker; the others wait their turn to boot (result thread). */
    private int spawned;
    /** When the last slot got its first worker. */
    private long lastFirstSpawn;
    private final long startDeadline;
    /** Result thread only: when it last accepted doorbell connections. */
    private long lastAccept;
    /** Result thread only: {@link #seqs} when it last went idle. */
    private long seenSubmitted;
    private int earlyDeaths;
    private int killedEarly;
    private long stopDeadline;
    private ClaimScanner scanner;

    /**
     * Creates the space and starts the first {@link #BOOT_AT_ONCE} worker JVMs, then opens the channels
     * while they boot: a JVM's first Chronicle queue costs a few hundred milliseconds, here and in each
     * worker, and this way they overlap. Workers wait for the slots file, written last, before they open
     * anything. The result thread starts the other workers, one as each booting worker is ready (or has
     * booted for {@link #BOOT_STAGGER_NANOS}).
     */
    private Engine(Config config) {
        this.config = config;
        this.workers = new Worker[config.size()];
        this.cds = config.classDataSharing() ? ClassDataSharing.forClasspath(WorkerMain.class.getName(), System.getProperty("java.class.path")) : null;
        this.startDeadline = System.nanoTime() + config.startupTimeoutNanos();
        Space s = Space.create();
        this.space = s;
        Doorbells bells = null;
        try {
            while (spawned < Math.min(workers.length, BOOT_AT_ONCE)) {
                spawn(spawned++, true);
            }
            lastFirstSpawn = System.nanoTime();
            this.tasks = s.channel(PoolFiles.TASKS);
            this.results = s.channel(PoolFiles.RESULTS);
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
        this.doorbells = bells;
        this.feeders = new Feeders(config.name());
        this.resultThread = new Thread(this::loop, "ipckit-pool-results-" + config.name());
        this.resultThread.setDaemon(true);
        this.shutdownHook = new Thread(this::terminate, "ipckit-pool-shutdown-" + config.name());
    }

    /** Creation failed: kill what was started and remove the space. */
    private void abandon(Space s, Doorbells bells) {
        if (bells != null) {
            bells.close();
        }
        killAll();
        for (java.lang.Process p : processes.values()) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        s.close();
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
        e.started.whenComplete((ready, error) -> {
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
            started.get(timeout, unit);
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
        return readyWorkers;
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
     * @return the task's number, for {@link #cancel(long)}
     * @throws IllegalStateException when the pool is not running
     */
    public long submit(EncodedTask body, Sink sink, boolean leased, Object original) {
        submitting.incrementAndGet();
        try {
            checkAccepting(leased);
            long seq = seqs.incrementAndGet();
            pending.put(seq, new Pending(sink, config.retries() > 0 ? body : null, original));
            try {
                put(body.message(seq));
            } catch (ChannelClosedException | InterruptedException e) {
                pending.remove(seq);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw notRunning();
            } catch (RuntimeException | Error e) {
                pending.remove(seq); // e.g. MessageTooLargeException: the function and arguments together are too big
                throw e;
            }
            if (state >= TERMINATING && pending.remove(seq) != null) {
                throw notRunning();
            }
            if (resultParked) {
                resultParked = false;
                LockSupport.unpark(resultThread);
            }
            return seq;
        } finally {
            submitting.decrementAndGet();
        }
    }

    /**
     * Takes a lease that lets a producer (an {@code imap} feeder) go on submitting after
     * {@link #initiateClose()}; the pool does not stop its workers before every lease is released.
     *
     * @throws IllegalStateException when the pool is not running
     */
    public void lease() {
        submitting.incrementAndGet();
        try {
            checkAccepting(false);
            leases.incrementAndGet();
        } finally {
            submitting.decrementAndGet();
        }
    }

    /**
     * Registers {@code r} to run on the result thread after each burst of results (when the result
     * channel is momentarily empty, or every 256 results): a consumer can be woken once per burst
     * instead of once per result. Any thread.
     */
    public void addBatchListener(Runnable r) {
        batchListeners.add(r);
    }

    /** Removes a listener added with {@link #addBatchListener}. Any thread. */
    public void removeBatchListener(Runnable r) {
        batchListeners.remove(r);
    }

    /**
     * Runs an {@code imap} feeder on one of the pool's feeder threads (reused across calls). Any thread;
     * does not block. The feeder should hold a {@link #lease()}.
     */
    public void runFeeder(Runnable feed) {
        feeders.run(feed);
    }

    /** Releases a {@link #lease()}. */
    public void release() {
        leases.decrementAndGet();
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
                post(() -> killRunning(seq));
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
        Set<Long> running = runningSeqs();
        int n = 0;
        for (Long seq : new ArrayList<>(pending.keySet())) {
            if (running.contains(seq)) {
                continue;
            }
            Pending p = pending.remove(seq);
            if (p != null) {
                slots.cancel(seq);
                CancellationException e = new CancellationException("task " + seq + " of pool '" + config.name()
                        + "' was cancelled before it started: the pool was shut down with its pending tasks cancelled");
                post(() -> complete(p, new Object[0], e));
                n++;
            }
        }
        return n;
    }

    private Set<Long> runningSeqs() {
        Set<Long> running = new HashSet<>();
        for (int i = 0; i < slots.size(); i++) {
            long s = slots.state(i);
            if (s >= 0) {
                running.add(s);
            }
        }
        return running;
    }

    private void killRunning(long seq) {
        for (Worker w : workers) {
            if (w != null && slots.state(w.slot) == seq) {
                w.killed = true;
                w.process.destroyForcibly();
            }
        }
    }

    /** Whether submissions are accepted. */
    public boolean isRunning() {
        return state == RUNNING;
    }

    /** Whether close or terminate was called. */
    public boolean isShutdown() {
        return state != RUNNING;
    }

    /** Whether the pool stopped and released everything. */
    public boolean isTerminated() {
        return state == TERMINATED;
    }

    /** Whether terminate was called (or the pool broke). */
    public boolean isTerminating() {
        return state >= TERMINATING;
    }

    /** Whether the calling thread is the result thread (where callbacks run; it must not wait for results). */
    public boolean onResultThread() {
        return Thread.currentThread() == resultThread;
    }

    /** Pids of the live workers, by slot; a snapshot. Any thread. */
    public List<Long> workerPids() {
        List<Long> pids = new ArrayList<>();
        for (java.lang.Process p : processes.values()) {
            if (p.isAlive()) {
                pids.add(p.pid());
            }
        }
        pids.sort(null);
        return pids;
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
        synchronized (stateLock) {
            if (state == RUNNING) {
                state = CLOSING;
            }
        }
        LockSupport.unpark(resultThread);
    }

    /**
     * Kills the workers at once; tasks not completed fail with {@link CancellationException}. Waits (up
     * to 30 s) until everything is released, except on the result thread. Any thread; idempotent.
     */
    public void terminate() {
        terminate(null);
        if (!onResultThread()) {
            awaitQuietly(30_000);
        }
    }

    /**
     * As {@link #terminate()}, returning what was submitted and had not started (best effort).
     */
    public List<Object> terminateNow() {
        Set<Long> runningSeqs = runningSeqs();
        List<Object> notStarted = new ArrayList<>();
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            if (!runningSeqs.contains(e.getKey()) && e.getValue().original != null) {
                notStarted.add(e.getValue().original);
            }
        }
        terminate();
        return notStarted;
    }

    private void terminate(Throwable cause) {
        synchronized (stateLock) {
            if (state >= TERMINATING) {
                return;
            }
            brokenBy = cause;
            state = TERMINATING;
        }
        killAll();
        LockSupport.unpark(resultThread);
    }

    /**
     * Waits until the pool released everything.
     *
     * @return false when the timeout passed first
     */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            terminated.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private void awaitQuietly(long millis) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!terminated.isDone()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                terminated.get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkAccepting(boolean leased) {
        int s = state;
        if (s == RUNNING || (leased && s == CLOSING)) {
            return;
        }
        throw notRunning();
    }

    private IllegalStateException notRunning() {
        Throwable cause = brokenBy;
        String how = cause != null ? "broken (" + cause + ")"
                : state >= TERMINATING ? "terminated" : "closed";
        return new IllegalStateException("pool is not running: pool '" + config.name() + "' was " + how
                + "; submit tasks before close(), or create a new pool", cause);
    }

    /**
     * Waits until the pool has terminated; the first interrupt runs {@code onInterrupt} (which should
     * terminate it) and the interrupt status is restored on return: the close() of Pool and executor.
     */
    public void awaitTerminationUninterruptibly(Runnable onInterrupt) {
        boolean interrupted = false;
        while (!isTerminated()) {
            try {
                awaitTermination(1, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    interrupted = true;
                    onInterrupt.run();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void killAll() {
        for (java.lang.Process p : processes.values()) {
            p.destroyForcibly();
        }
    }

    // ---------------------------------------------------------------- result thread

    private void loop() {
        Backoff backoff = new Backoff(Config.SPIN_NANOS);
        int batch = 0;
        while (state != TERMINATED) {
            Object m = null;
            try {
                m = results.poll();
                if (m != null) {
                    backoff.reset();
                    handle(m);
                    if (++batch < 256) {
                        continue;
                    }
                }
            } catch (SerializationException e) {
                System.err.println("ipckit pool '" + config.name() + "': " + e.getMessage());
            } catch (Throwable t) {
                report("the result thread", t);
            }
            batch = 0;
            try {
                for (Runnable r : batchListeners) {
                    r.run();
                }
                runEvents();
                tick();
            } catch (Throwable t) {
                report("the result thread", t);
            }
            if (m == null) {
                idle(backoff);
            }
        }
    }

    /**
     * Waits a little for results. Before a park it says so in {@link #resultParked}, which a submit reads
     * after counting its task in {@link #seqs}: either the submit sees the flag and unparks this thread,
     * or this thread sees the new count and does not park. Woken that way it spins and yields again, as a
     * result is on its way.
     */
    private void idle(Backoff backoff) {
        if (!backoff.parksNext()) {
            backoff.idle(IDLE_PARK_NANOS);
            return;
        }
        resultParked = true;
        if (seqs.get() == seenSubmitted) {
            if (quiet()) {
                LockSupport.parkNanos(this, QUIET_PARK_NANOS);
            } else {
                backoff.idle(IDLE_PARK_NANOS);
            }
        }
        boolean unparked = !resultParked;
        resultParked = false;
        long submitted = seqs.get();
        boolean woken = unparked || submitted != seenSubmitted;
        seenSubmitted = submitted;
        if (woken) {
            backoff.reset();
        }
    }

    /** Nothing for the result thread to watch but what wakes it anyway. Result thread only. */
    private boolean quiet() {
        if (state != RUNNING || !started.isDone() || !pending.isEmpty() || !events.isEmpty() || leases.get() > 0) {
            return false;
        }
        for (Worker w : workers) {
            if (w == null || !w.ready) {
                return false;
            }
        }
        return true;
    }

    /** Queues an event for the result thread and wakes it. Any thread. */
    private void post(Runnable event) {
        events.add(event);
        LockSupport.unpark(resultThread);
    }

    private void handle(Object m) {
        if (m instanceof Messages.Done) {
            Messages.Done d = (Messages.Done) m;
            Pending p = pending.remove(d.seq());
            if (p != null) {
                deliver(d, p);
            }
        } else if (m instanceof Messages.Ready) {
            Messages.Ready r = (Messages.Ready) m;
            Worker w = workers[r.slot()];
            if (w != null && w.process.pid() == r.pid() && !w.ready) {
                w.ready = true;
                readyWorkers++;
                earlyDeaths = 0;
                killedEarly = 0;
                if (!started.isDone() && ++slotsReady == workers.length) {
                    started.complete(null);
                }
                bootNext(true);
            }
        } else if (m instanceof Messages.InitFailed) {
            Messages.InitFailed f = (Messages.InitFailed) m;
            Throwable error;
            try {
                error = (Throwable) codec.decode(f.error());
            } catch (RuntimeException e) {
                error = e;
            }
            if (!started.isDone()) {
                started.completeExceptionally(error);
            } else {
                terminate(new IllegalStateException("the initializer of pool '" + config.name()
                        + "' threw in a replacement worker (pid " + f.pid() + ")", error));
            }
        }
    }

    private void deliver(Messages.Done d, Pending p) {
        Object[] values;
        Throwable error;
        try {
            if (d.ok()) {
                values = (Object[]) codec.decode(d.payload());
                error = null;
            } else {
                Messages.Failure f = (Messages.Failure) codec.decode(d.payload());
                values = f.partial() != null ? f.partial() : new Object[0];
                error = f.error();
            }
        } catch (RuntimeException e) {
            values = new Object[0];
            error = e;
        }
        complete(p, values, error);
    }

    private void complete(Pending p, Object[] values, Throwable error) {
        try {
            p.sink.complete(values, error);
        } catch (Throwable t) {
            report("a completion", t);
        }
    }

    private void fail(long seq, Throwable error) {
        Pending p = pending.remove(seq);
        if (p != null) {
            complete(p, new Object[0], error);
        }
    }

    private void runEvents() {
        Runnable r;
        while ((r = events.poll()) != null) {
            r.run();
        }
    }

    private void tick() {
        if (doorbells != null) {
            long now = System.nanoTime();
            if (now - lastAccept > ACCEPT_EVERY_NANOS) {
                lastAccept = now;
                doorbells.acceptPending();
            }
        }
        int s = state;
        if (s == RUNNING || s == CLOSING) {
            bootNext(false);
            if (!started.isDone() && System.nanoTime() - startDeadline > 0) {
                started.completeExceptionally(new IllegalStateException("pool '" + config.name() + "': "
                        + readyCount() + " of its " + config.size() + " workers were ready after "
                        + TimeUnit.NANOSECONDS.toMillis(config.startupTimeoutNanos()) + " ms (initializer still "
                        + "running, or the machine is overloaded); raise startupTimeout"));
            }
            if (config.taskTimeoutNanos() > 0) {
                checkTimeouts();
            }
            if (s == CLOSING && submitting.get() == 0 && leases.get() == 0 && pending.isEmpty()) {
                beginStopping();
            }
        } else if (s == STOPPING) {
            if (System.nanoTime() - stopDeadline > 0) {
                killAll();
            }
            finishIfAllGone();
        } else if (s == TERMINATING) {
            killAll();
            for (Long seq : new ArrayList<>(pending.keySet())) {
                fail(seq, cancelled());
            }
            finishIfAllGone();
        }
    }

    /**
     * Gives the next slot that never had a worker its first one, when a worker just became ready or the
     * last first-spawn is {@link #BOOT_STAGGER_NANOS} old. Not once the pool stops: a late worker would
     * miss its STOP. Result thread only.
     */
    private void bootNext(boolean oneReady) {
        if (spawned == workers.length || state >= STOPPING) {
            return;
        }
        long now = System.nanoTime();
        if (oneReady || now - lastFirstSpawn > BOOT_STAGGER_NANOS) {
            lastFirstSpawn = now;
            try {
                spawn(spawned++, false);
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        }
    }

    private CancellationException cancelled() {
        Throwable cause = brokenBy;
        CancellationException e = new CancellationException(cause != null
                ? "pool '" + config.name() + "' broke before the task completed: " + cause
                : "pool '" + config.name() + "' was terminated before the task completed");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** Puts a message on the task channel and wakes a worker that sleeps on its doorbell. */
    private void put(Messages.Task t) throws InterruptedException {
        tasks.put(t);
        if (doorbells != null) {
            doorbells.ring(slots);
        }
    }

    private void beginStopping() {
        synchronized (stateLock) {
            if (state != CLOSING) {
                return;
            }
            state = STOPPING;
        }
        stopDeadline = System.nanoTime() + STOP_GRACE_NANOS;
        try {
            for (Worker w : workers) {
                if (w != null && w.ready) {
                    put(Messages.Task.STOP);
                } else if (w != null) {
                    // still booting, so it holds no task (none is pending): waiting for its boot would
                    // only make close() slower
                    w.killed = true;
                    w.process.destroyForcibly();
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            killAll();
        }
    }

    private void finishIfAllGone() {
        for (Worker w : workers) {
            if (w != null) {
                return;
            }
        }
        if (!processes.isEmpty()) {
            return;
        }
        finish();
    }

    private void finish() {
        runEvents();
        for (Long seq : new ArrayList<>(pending.keySet())) {
            fail(seq, cancelled());
        }
        synchronized (stateLock) {
            state = TERMINATED;
        }
        for (Long seq : new ArrayList<>(pending.keySet())) {
            fail(seq, cancelled());
        }
        if (scanner != null) {
            try {
                scanner.close();
            } catch (RuntimeException e) {
                report("closing the claim scanner", e);
            }
        }
        try {
            space.close();
        } catch (RuntimeException e) {
            report("removing " + space.directory(), e);
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
        if (!started.isDone()) {
            started.completeExceptionally(notRunning());
        }
        terminated.complete(null);
    }

    private void checkTimeouts() {
        long now = System.nanoTime();
        for (Worker w : workers) {
            if (w == null || !w.ready || w.killed) {
                continue;
            }
            long s = slots.state(w.slot);
            if (s < 0) {
                continue;
            }
            if (s != w.seenSeq) {
                w.seenSeq = s;
                w.seenAt = now;
            } else if (now - w.seenAt > config.taskTimeoutNanos() && pending.containsKey(s)) {
                w.killed = true;
                w.process.destroyForcibly();
                fail(s, new TimeoutException("task " + s + " of pool '" + config.name() + "' ran longer than its timeout of "
                        + TimeUnit.NANOSECONDS.toMillis(config.taskTimeoutNanos()) + " ms; its worker (pid "
                        + w.process.pid() + ") was killed and is being replaced"));
            }
        }
    }

    /** Starts a worker JVM for {@code slot}; {@code initial}: during construction, before the slots file exists. */
    private void spawn(int slot, boolean initial) {
        if (!initial) {
            slots.reset(slot);
        }
        List<String> options = new ArrayList<>(config.jvmOptions());
        if (cds != null) {
            options.addAll(cds.options());
        }
        java.lang.Process p;
        try {
            p = JvmLauncher.forMain(WorkerMain.class)
                    .args(space.directory().toString(), Integer.toString(slot),
                            Integer.toString(config.maxTasksPerWorker()), Long.toString(ProcessHandle.current().pid()))
                    .jvmOptions(options)
                    .dieWithParent(false) // WorkerMain watches its owner itself, and removes the space when it dies
                    .redirectOutput(config.output())
                    .redirectError(config.output())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("pool '" + config.name() + "': cannot start a worker JVM: " + e, e);
        }
        try {
            p.getOutputStream().close(); // workers read no input: a task reading System.in sees its end at once
        } catch (IOException e) {
            // the worker already died: its exit is handled as any other
        }
        Worker w = new Worker(slot, p, options);
        workers[slot] = w;
        processes.put(p.pid(), p);
        p.onExit().thenRun(() -> post(() -> workerDied(w)));
        if (state >= TERMINATING) {
            p.destroyForcibly();
        }
    }

    private void workerDied(Worker w) {
        processes.remove(w.process.pid());
        if (w.ready) {
            readyWorkers--;
        }
        if (cds != null) {
            cds.childExited(w.options, w.process.exitValue() == 0);
        }
        if (workers[w.slot] != w) {
            return;
        }
        drainResults();
        workers[w.slot] = null;
        int status = w.process.exitValue();
        long slotState = slots.state(w.slot);
        long reason = slots.reason(w.slot);
        int s = state;
        if (s >= STOPPING) {
            return;
        }
        if (!w.ready) {
            String why = "pool '" + config.name() + "': worker " + w.slot + " (pid " + w.process.pid()
                    + ") exited with " + WorkerCrashedException.describeStatus(status)
                    + " before it was ready; check the worker JVM options " + config.jvmOptions()
                    + " and its output";
            if (!started.isDone()) {
                started.completeExceptionally(new IllegalStateException(why));
                return;
            }
            // A worker killed from outside (SIGKILL: kill -9, the OOM killer) says little about its
            // configuration: such deaths have a limit of their own, higher than deaths of its own.
            if (status == SIGKILL_STATUS) {
                if (++killedEarly >= MAX_KILLED_EARLY) {
                    terminate(new IllegalStateException(why + " (" + killedEarly + " replacement workers in a row "
                            + "were killed with SIGKILL before they were ready, by kill -9 or the kernel's "
                            + "out-of-memory killer (see dmesg): the pool stops replacing them)"));
                    return;
                }
            } else if (++earlyDeaths >= MAX_EARLY_DEATHS) {
                terminate(new IllegalStateException(why + " (" + earlyDeaths + " replacement workers in a row)"));
                return;
            }
        }
        String crash = "worker " + w.slot + " (pid " + w.process.pid() + ") of pool '" + config.name() + "' died ("
                + WorkerCrashedException.describeStatus(status) + describeReason(reason, status) + ")";
        if (slotState >= 0) {
            lost(slotState, w, crash, status);
        } else if (slotState == WorkerSlots.POLLING && w.ready) {
            for (long seq : scanClaims(w)) {
                lost(seq, w, crash, status);
            }
        }
        try {
            spawn(w.slot, false);
        } catch (RuntimeException e) {
            terminate(e);
        }
    }

    private static String describeReason(long reason, int status) {
        if (reason == WorkerSlots.REASON_OOM) {
            return " after an OutOfMemoryError; give workers more heap with workerJvmOptions(\"-Xmx...\")";
        }
        if (reason == WorkerSlots.REASON_EXIT_CALLED && status != 143) {
            return ": the task called System.exit(" + status + ")";
        }
        return "";
    }

    private void lost(long seq, Worker w, String crash, int status) {
        Pending p = pending.get(seq);
        if (p == null) {
            return;
        }
        if (p.body != null && p.attempts < config.retries()) {
            p.attempts++;
            try {
                put(p.body.message(seq));
                return;
            } catch (InterruptedException | RuntimeException e) {
                // cannot queue it again: fail it below
            }
        }
        String message = crash + " while running task " + seq
                + (p.attempts > 0 ? " (attempt " + (p.attempts + 1) + " of " + (config.retries() + 1) + ")" : "")
                + "; a new worker takes its place";
        fail(seq, new WorkerCrashedException(message, w.process.pid(), status));
    }

    private List<Long> scanClaims(Worker dead) {
        try {
            if (scanner == null) {
                scanner = new ClaimScanner(space.directory(), codec);
            }
            Set<Integer> polling = new HashSet<>();
            Set<Long> running = new HashSet<>();
            for (Worker w : workers) {
                if (w != null) {
                    long s = slots.state(w.slot);
                    if (s == WorkerSlots.POLLING) {
                        polling.add((int) w.process.pid());
                    } else if (s >= 0) {
                        running.add(s);
                    }
                }
            }
            List<Long> claimed = new ArrayList<>();
            for (long seq : scanner.claimedBy((int) dead.process.pid(), polling)) {
                if (!running.contains(seq) && pending.containsKey(seq)) {
                    claimed.add(seq);
                }
            }
            return claimed;
        } catch (RuntimeException e) {
            report("looking for the tasks of dead worker " + dead.process.pid(), e);
            return List.of();
        }
    }

    private void drainResults() {
        Object m;
        while (true) {
            try {
                m = results.poll();
            } catch (SerializationException e) {
                System.err.println("ipckit pool '" + config.name() + "': " + e.getMessage());
                continue;
            }
            if (m == null) {
                return;
            }
            handle(m);
        }
    }

    private void report(String where, Throwable t) {
        System.err.println("ipckit pool '" + config.name() + "': " + where + " threw; the pool goes on:");
        t.printStackTrace();
    }

    private static final class Pending {
        final Sink sink;
        final EncodedTask body;
        final Object original;
        int attempts;

        Pending(Sink sink, EncodedTask body, Object original) {
            this.sink = sink;
            this.body = body;
            this.original = original;
        }
    }

    private static final class Worker {
        final int slot;
        final java.lang.Process process;
        final List<String> options;
        boolean ready;
        boolean killed;
        long seenSeq = -1;
        long seenAt;

        Worker(int slot, java.lang.Process process, List<String> options) {
            this.slot = slot;
            this.process = process;
            this.options = options;
        }
    }
}
