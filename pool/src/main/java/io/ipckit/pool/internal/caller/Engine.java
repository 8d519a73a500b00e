package io.ipckit.pool.internal.caller;

import io.ipckit.core.SerializationException;
import io.ipckit.pool.WorkerCrashedException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pool's task transport, the seam behind {@code Pool} and {@code ProcessPoolExecutor}: what they need
 * from a backend to run tasks in other processes. Every submitted task completes exactly once, through its
 * {@link Sink}: with its result, its error, a {@link WorkerCrashedException}, a {@link TimeoutException}
 * or, when the pool ends first, a {@link CancellationException}.
 *
 * <pre>
 *   Pool / ProcessPoolExecutor ──▶ Engine ──┬─ LocalEngine       worker JVMs of this host, over channels of
 *            (public)              (this)   │                    the pool's own space
 *                                           ├─ ClusterEngine     the workers of a cluster's nodes (ipc-cluster,
 *                                           │                    found through an EngineProvider)
 *                                           └─ LocalFirstEngine  a LocalEngine beside another engine: a task
 *                                                                runs locally when a local worker is free
 * </pre>
 *
 * <p>Thread role: every method is for any thread; none blocks unless it says so.
 */
public interface Engine {

    /** The pool's settings, as built. Never blocks. */
    Config config();

    /** The pool's name (its threads and files carry it). Never blocks. */
    String name();

    /**
     * Waits until every worker has started and run the initializer. Any thread.
     *
     * @throws RuntimeException what the initializer threw in a worker (remote stack trace kept, the
     *     caller's attached as a suppressed exception), or an IllegalStateException when a worker could
     *     not start, the start-up timeout passed or the pool was closed first; the pool is broken then
     * @throws TimeoutException when {@code timeout} passes first (the workers go on starting)
     */
    void awaitReady(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException;

    /** Live workers ready for tasks (a snapshot). Any thread. */
    int readyCount();

    /** The pool's space directory. */
    java.nio.file.Path directory();

    /**
     * Encodes a task body. Any thread.
     *
     * @throws SerializationException when the function or an argument cannot be encoded; the message
     *     names the class and the fix
     */
    EncodedTask encode(int shape, Object fn, Object[] args);

    /**
     * Queues an encoded task; {@code sink} gets its outcome on the result thread. Any thread; does not
     * block (the task channel is unbounded).
     *
     * @param leased the caller holds a {@link #lease()}: allowed after {@link #initiateClose()}
     * @param original what the caller submitted, handed back by {@link #terminateNow()} if never started
     * @return the task's number, for {@link #cancel(long, boolean)}
     * @throws IllegalStateException when the pool is not running
     */
    long submit(EncodedTask body, Sink sink, boolean leased, Object original);

    /**
     * As {@link #submit}, for a task whose caller then reads its result itself ({@link #readOwnResult}: a
     * synchronous {@code apply}): the engine need not wake its result thread for it, which would only take
     * a core from the caller and the worker. Any thread but the result thread; does not block.
     */
    default long submitForCaller(EncodedTask body, Sink sink) {
        return submit(body, sink, false, null);
    }

    /**
     * Lets a caller that waits for task {@code seq} read the result channel itself until {@code done} or
     * until {@code deadline} ({@link System#nanoTime()}), instead of waiting for the result thread to hand
     * its result over: its own result completes the task on this thread. Only for a task whose sink runs
     * no user code (a synchronous {@code apply}). Any thread but the result thread; spins and yields,
     * never parks. When it returns with the task not done, the result thread is woken to take the task over.
     */
    void readOwnResult(long seq, java.util.function.BooleanSupplier done, long deadline);

    /**
     * Takes a lease that lets a producer (an {@code imap} feeder) go on submitting after
     * {@link #initiateClose()}; the pool does not stop its workers before every lease is released.
     *
     * @throws IllegalStateException when the pool is not running
     */
    void lease();

    /** Releases a {@link #lease()}. */
    void release();

    /**
     * Registers {@code r} to run on the result thread after each burst of results (when the result
     * channel is momentarily empty, or every 256 results): a consumer can be woken once per burst
     * instead of once per result. Any thread.
     */
    void addBatchListener(Runnable r);

    /** Removes a listener added with {@link #addBatchListener}. Any thread. */
    void removeBatchListener(Runnable r);

    /**
     * Runs an {@code imap} feeder on one of the pool's feeder threads (reused across calls). Any thread;
     * does not block. The feeder should hold a {@link #lease()}.
     */
    void runFeeder(Runnable feed);

    /**
     * Cancels task {@code seq} if it has not completed: it is forgotten here and a worker that takes it
     * skips it. A task already running runs to its end and its result is dropped, unless
     * {@code stopRunning}: then its worker is killed (and replaced). Any thread; does not block.
     */
    void cancel(long seq, boolean stopRunning);

    /**
     * Cancels every task not started yet (Python's {@code shutdown(cancel_futures=True)}): each fails with
     * a {@link CancellationException} on the result thread; running tasks go on. A task a worker takes
     * meanwhile runs to its end and its result is dropped, as with {@link #cancel}. Any thread; does not
     * block.
     *
     * @return how many tasks were cancelled
     */
    int cancelNotStarted();

    /** Whether submissions are accepted. */
    boolean isRunning();

    /** Whether close or terminate was called. */
    boolean isShutdown();

    /** Whether the pool stopped and released everything. */
    boolean isTerminated();

    /** Whether terminate was called (or the pool broke). */
    boolean isTerminating();

    /** Whether the calling thread is the result thread (where callbacks run; it must not wait for results). */
    boolean onResultThread();

    /** Pids of the live workers, sorted; a snapshot. Any thread. */
    List<Long> workerPids();

    /** Tasks submitted and not yet completed. */
    int pendingCount();

    /**
     * Stops accepting tasks; the queued ones run, then the workers exit and the space is removed.
     * Any thread; does not wait (see {@link #awaitTermination}).
     */
    void initiateClose();

    /**
     * Kills the workers at once; tasks not completed fail with {@link CancellationException}. Waits (up
     * to 30 s) until everything is released, except on the result thread. Any thread; idempotent.
     */
    void terminate();

    /**
     * As {@link #terminate()}, returning what was submitted and had not started (best effort).
     */
    List<Object> terminateNow();

    /**
     * Waits until the pool released everything.
     *
     * @return false when the timeout passed first
     */
    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Waits until the pool has terminated; the first interrupt runs {@code onInterrupt} (which should
     * terminate it) and the interrupt status is restored on return: the close() of Pool and executor.
     */
    void awaitTerminationUninterruptibly(Runnable onInterrupt);
}
