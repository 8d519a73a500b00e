package io.ipckit.pool;

import io.ipckit.core.Codec;
import io.ipckit.core.SerializableBiFunction;
import io.ipckit.core.SerializableCallable;
import io.ipckit.core.SerializableConsumer;
import io.ipckit.core.SerializableFunction;
import io.ipckit.core.SerializableRunnable;
import io.ipckit.core.SerializationException;
import io.ipckit.core.internal.Names;
import io.ipckit.core.internal.manager.Remote;
import io.ipckit.pool.internal.caller.Config;
import io.ipckit.pool.internal.caller.EncodedTask;
import io.ipckit.pool.internal.caller.Engine;
import io.ipckit.pool.internal.caller.Engines;
import io.ipckit.pool.internal.caller.LocalEngine;
import io.ipckit.pool.internal.caller.ProgressMeter;
import io.ipckit.pool.internal.caller.Sink;
import io.ipckit.pool.internal.TaskShape;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Python's {@code multiprocessing.Pool} on worker JVMs: tasks (serializable lambdas, method references
 * or classes, with their arguments) run in child JVMs started with this JVM's classpath, results and
 * exceptions come back through the codec.
 *
 * <pre>{@code
 * try (Pool pool = Pool.create(3)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));       // [1, 4, 9]
 *     AsyncResult<Long> pid = pool.applyAsync(() -> ProcessHandle.current().pid());
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Every method may be called from any thread. Callbacks and the completion of
 * results run on the pool's one result thread ({@code ipckit-pool-results-<name>}), as in Python: they
 * must be quick and must not wait for other results of the pool (that is refused with an
 * {@link IllegalStateException}); a callback that throws is reported on standard error and the pool
 * goes on.
 *
 * <p><b>Failures never hang the pool.</b> A task's exception comes back with the stack trace it had in
 * the worker. A worker that dies (kill, {@code System.exit}, {@code OutOfMemoryError}, native crash)
 * fails the task it ran with a {@link WorkerCrashedException} (or queues it again, see
 * {@link Builder#retries}) and is replaced; a task past {@link Builder#taskTimeout} fails with a
 * {@link java.util.concurrent.TimeoutException} and its worker is replaced. If this JVM dies, even by
 * {@code kill -9}, the workers exit within a fraction of a second and remove the pool's files.
 *
 * <p><b>Lifecycle.</b> {@link #create(int)} returns at once, as Python's {@code Pool()} does: the workers
 * boot in the background and take tasks as they come up; {@link #awaitReady(Duration)} waits for all of
 * them. {@link #close()} stops accepting tasks, lets the queued ones finish and waits
 * for the workers to exit (Python's {@code close()} then {@code join()}); {@link #terminate()} kills the
 * workers at once. Note that Python's {@code with Pool() as p:} terminates on exit, while
 * try-with-resources here closes gracefully: queued tasks are not lost. {@link #join()} before
 * {@code close()} or {@code terminate()} is refused, as in Python.
 */
public final class Pool implements AutoCloseable {
    /**
     * Options every worker JVM gets before {@link Builder#workerJvmOptions}: class-data sharing, the serial
     * collector (fewer threads, faster start), no perf-data file, a 2 µs spin before an idle worker yields
     * (it shares the cores with the caller and the other workers), and compilation after three times the
     * JDK's invocation counts ({@code -XX:CompileThresholdScaling=3}: a boot's run-once code is no longer
     * compiled, about a quarter of a booting worker's CPU). The optimizing compiler stays on: workers are for
     * CPU-heavy tasks, whose hot code is compiled a little later.
     */
    public static final List<String> DEFAULT_WORKER_JVM_OPTIONS = List.of("-Xshare:auto", "-XX:+UseSerialGC",
            "-XX:-UsePerfData", "-D" + io.ipckit.core.internal.Backoff.SPIN_PROPERTY + "=" + Config.SPIN_NANOS,
            io.ipckit.core.internal.JvmFlags.LATER_JIT);
    private static final long AWAIT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(150);

    private final Engine engine;

    private Pool(Engine engine) {
        this.engine = engine;
    }

    /**
     * A pool of one worker per available processor. Returns at once, as Python's {@code Pool()} does:
     * the workers boot in the background and take tasks as they come up ({@link Builder#build()}).
     * Any thread.
     *
     * @throws IllegalStateException when the pool's files cannot be created or the first worker JVM
     *     cannot be started
     */
    public static Pool create() {
        return builder().build();
    }

    /**
     * A pool of {@code processes} workers. Returns at once; the workers boot in the background and take
     * tasks as they come up ({@link Builder#build()}). Any thread.
     *
     * @throws IllegalArgumentException when {@code processes < 1}
     * @throws IllegalStateException when the pool's files cannot be created or the first worker JVM
     *     cannot be started
     */
    public static Pool create(int processes) {
        return builder().processes(processes).build();
    }

    /** Options of a new pool. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ apply

    /**
     * Runs {@code task} in a worker and returns its result; Python's {@code apply}. Blocks.
     *
     * @throws SerializationException when the task cannot be encoded (nothing runs)
     * @throws IllegalStateException when the pool is not running
     * @throws InterruptedException when interrupted while waiting (the task goes on)
     * @throws RuntimeException the task's exception with the worker's stack trace (checked ones wrapped in
     *     a {@link CompletionException}), a {@link WorkerCrashedException}, or a CompletionException
     *     around a {@link java.util.concurrent.TimeoutException} when the task timeout passed
     */
    public <R> R apply(SerializableCallable<? extends R> task) throws InterruptedException {
        Objects.requireNonNull(task, "task");
        return applyNow(TaskShape.CALLABLE, task, null);
    }

    /** Runs {@code task} in a worker and waits for it; as {@link #apply(SerializableCallable)}. */
    public void apply(SerializableRunnable task) throws InterruptedException {
        Objects.requireNonNull(task, "task");
        applyNow(TaskShape.RUNNABLE, task, null);
    }

    /** Runs {@code fn(arg)} in a worker and returns its result; as {@link #apply(SerializableCallable)}. */
    public <A, R> R apply(SerializableFunction<? super A, ? extends R> fn, A arg) throws InterruptedException {
        Objects.requireNonNull(fn, "fn");
        return applyNow(TaskShape.FUNCTION, fn, new Object[] {arg});
    }

    /** Runs {@code fn(a, b)} in a worker and returns its result; as {@link #apply(SerializableCallable)}. */
    public <A, B, R> R apply(SerializableBiFunction<? super A, ? super B, ? extends R> fn, A a, B b)
            throws InterruptedException {
        Objects.requireNonNull(fn, "fn");
        return applyNow(TaskShape.BIFUNCTION, fn, new Object[] {a, b});
    }

    /**
     * Queues {@code task} and returns at once; Python's {@code apply_async}.
     *
     * @throws SerializationException when the task cannot be encoded (nothing is queued)
     * @throws IllegalStateException when the pool is not running
     */
    public <R> AsyncResult<R> applyAsync(SerializableCallable<? extends R> task) {
        return applyAsync(task, null, null);
    }

    /**
     * Queues {@code task}; {@code callback} gets its result, {@code errorCallback} its exception, on the
     * pool's result thread before the AsyncResult completes. Either may be null.
     */
    public <R> AsyncResult<R> applyAsync(SerializableCallable<? extends R> task, Consumer<? super R> callback,
                                         Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(task, "task");
        return submit(TaskShape.CALLABLE, task, null, callback, errorCallback);
    }

    /**
     * Queues {@code task}; as {@link #applyAsync(SerializableCallable)}, with a null result. There is no
     * runnable overload with callbacks: beside the callable one it made every lambda and method reference
     * passed with callbacks ambiguous ({@code applyAsync(() -> f(), v -> ..., e -> ...)}); a task without a
     * result that wants callbacks returns null: {@code applyAsync(() -> { work(); return null; }, ...)}.
     */
    public AsyncResult<Void> applyAsync(SerializableRunnable task) {
        Objects.requireNonNull(task, "task");
        return submit(TaskShape.RUNNABLE, task, null, null, null);
    }

    /** Queues {@code fn(arg)}; as {@link #applyAsync(SerializableCallable)}. */
    public <A, R> AsyncResult<R> applyAsync(SerializableFunction<? super A, ? extends R> fn, A arg) {
        return applyAsync(fn, arg, null, null);
    }

    /** Queues {@code fn(arg)} with callbacks; as {@link #applyAsync(SerializableCallable, Consumer, Consumer)}. */
    public <A, R> AsyncResult<R> applyAsync(SerializableFunction<? super A, ? extends R> fn, A arg,
                                            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(fn, "fn");
        return submit(TaskShape.FUNCTION, fn, new Object[] {arg}, callback, errorCallback);
    }

    /** Queues {@code fn(a, b)}; as {@link #applyAsync(SerializableCallable)}. */
    public <A, B, R> AsyncResult<R> applyAsync(SerializableBiFunction<? super A, ? super B, ? extends R> fn, A a, B b) {
        return applyAsync(fn, a, b, null, null);
    }

    /** Queues {@code fn(a, b)} with callbacks; as {@link #applyAsync(SerializableCallable, Consumer, Consumer)}. */
    public <A, B, R> AsyncResult<R> applyAsync(SerializableBiFunction<? super A, ? super B, ? extends R> fn, A a, B b,
                                               Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(fn, "fn");
        return submit(TaskShape.BIFUNCTION, fn, new Object[] {a, b}, callback, errorCallback);
    }

    private <R> AsyncResult<R> submit(int shape, Object fn, Object[] args, Consumer<? super R> callback,
                                      Consumer<? super Throwable> errorCallback) {
        return submit(shape, fn, args, callback, errorCallback, false);
    }

    /** @param callerReads the calling thread reads the result itself ({@link #awaitApply}) */
    private <R> AsyncResult<R> submit(int shape, Object fn, Object[] args, Consumer<? super R> callback,
                                      Consumer<? super Throwable> errorCallback, boolean callerReads) {
        AsyncResult<R> result = new AsyncResult<>(engine);
        EncodedTask body = engine.encode(shape, fn, args);
        Sink sink = new ApplySink<>(result, callback, errorCallback, engine.name());
        long seq = callerReads ? engine.submitForCaller(body, sink) : engine.submit(body, sink, false, null);
        result.canceller(stop -> engine.cancel(seq, stop));
        result.seq(seq);
        return result;
    }

    /** A synchronous apply: submits, then waits reading the result itself (off the result thread). */
    private <R> R applyNow(int shape, Object fn, Object[] args) throws InterruptedException {
        return awaitApply(this.<R>submit(shape, fn, args, null, null, !engine.onResultThread()));
    }

    // ------------------------------------------------------------------ map

    /**
     * Applies {@code fn} to every item in workers and returns the results in input order; Python's
     * {@code map}. The input is read at once and cut into chunks of about {@code size / (4 * workers)}
     * items. Blocks.
     *
     * @throws SerializationException when the function or an item cannot be encoded: for the function,
     *     nothing runs; for an item, the map is cancelled, though chunks before the item's may have run
     *     already (each chunk is sent as soon as it is encoded, as in Python)
     * @throws RuntimeException the first failure of a chunk, as {@link #apply(SerializableCallable)}
     */
    public <A, R> List<R> map(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items)
            throws InterruptedException {
        return map(fn, items, 0);
    }

    /** As {@link #map(SerializableFunction, Iterable)}, with {@code chunksize} items per task message (0: automatic). */
    public <A, R> List<R> map(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize)
            throws InterruptedException {
        return await(this.<A, R>mapAsync(fn, items, chunksize, null, null), "map");
    }

    /**
     * As {@link #map(SerializableFunction, Iterable)}, showing its progress: {@code pool.map(f, items,
     * Progress.bar())} draws a bar on standard error (see {@link Progress}); it is closed when the call
     * returns or throws. Blocks; any thread but the pool's result thread.
     *
     * @throws NullPointerException when {@code progress} is null ({@link Progress#none()} shows nothing)
     */
    public <A, R> List<R> map(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items,
                              Progress progress) throws InterruptedException {
        return map(fn, items, 0, progress);
    }

    /** As {@link #map(SerializableFunction, Iterable, Progress)} with {@code chunksize} (0: automatic). */
    public <A, R> List<R> map(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize,
                              Progress progress) throws InterruptedException {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(progress, "progress");
        return await(this.<R>submitMap(TaskShape.FUNCTION, fn, toArray(items), 1, chunksize, null, null,
                progress, "map"), "map");
    }

    /** Queues the work of {@link #map(SerializableFunction, Iterable)} and returns at once; Python's {@code map_async}. */
    public <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return mapAsync(fn, items, 0, null, null);
    }

    /** As {@link #mapAsync(SerializableFunction, Iterable)} with {@code chunksize} (0: automatic). */
    public <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items,
                                                int chunksize) {
        return mapAsync(fn, items, chunksize, null, null);
    }

    /**
     * Queues a map; {@code callback} gets the whole list, {@code errorCallback} the first failure, on the
     * result thread. Either may be null.
     *
     * @throws SerializationException when the function or an item cannot be encoded (as {@link #map(SerializableFunction, Iterable)})
     * @throws IllegalArgumentException when {@code chunksize < 0}
     * @throws IllegalStateException when the pool is not running
     */
    public <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items,
                                                int chunksize, Consumer<? super List<R>> callback,
                                                Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(fn, "fn");
        Object[] flat = toArray(items);
        return submitMap(TaskShape.FUNCTION, fn, flat, 1, chunksize, callback, errorCallback, Progress.none(), "map");
    }

    /**
     * Applies {@code fn} to each pair's key and value, in workers, and returns the results in input
     * order; Python's {@code starmap} (a pair stands for Python's argument tuple:
     * {@code Map.entry(a, b)}, or a map's {@code entrySet()}). Blocks.
     */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs)
            throws InterruptedException {
        return starmap(fn, pairs, 0);
    }

    /** As {@link #starmap(SerializableBiFunction, Iterable)} with {@code chunksize} (0: automatic). */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize)
            throws InterruptedException {
        return await(this.<A, B, R>starmapAsync(fn, pairs, chunksize, null, null), "starmap");
    }

    /**
     * As {@link #starmap(SerializableBiFunction, Iterable)}, showing its progress, with the contract of
     * {@link #map(SerializableFunction, Iterable, Progress)} (blocks; any thread but the result thread).
     */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, Progress progress)
            throws InterruptedException {
        return starmap(fn, pairs, 0, progress);
    }

    /** As {@link #starmap(SerializableBiFunction, Iterable, Progress)} with {@code chunksize} (0: automatic). */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize,
                                     Progress progress) throws InterruptedException {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(progress, "progress");
        return await(this.<R>submitMap(TaskShape.BIFUNCTION, fn, flattenPairs(pairs), 2, chunksize, null, null,
                progress, "starmap"), "starmap");
    }

    /** Queues a starmap and returns at once; Python's {@code starmap_async}. */
    public <A, B, R> AsyncResult<List<R>> starmapAsync(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                                       Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        return starmapAsync(fn, pairs, 0, null, null);
    }

    /** Queues a starmap with {@code chunksize} and callbacks (either may be null); see {@link #mapAsync}. */
    public <A, B, R> AsyncResult<List<R>> starmapAsync(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                                       Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                                       int chunksize, Consumer<? super List<R>> callback,
                                                       Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(fn, "fn");
        return submitMap(TaskShape.BIFUNCTION, fn, flattenPairs(pairs), 2, chunksize, callback, errorCallback,
                Progress.none(), "starmap");
    }

    /**
     * Keys and values of {@code pairs}, alternating. A collection's are copied into one array of its size
     * (growing a list on the way allocated three times that: in a JVM whose heap has just grown, every
     * allocated page is first touched, at microseconds a page on a virtual machine).
     */
    private static Object[] flattenPairs(Iterable<? extends Map.Entry<?, ?>> pairs) {
        Objects.requireNonNull(pairs, "pairs");
        if (pairs instanceof Collection) {
            Object[] flat = new Object[2 * ((Collection<?>) pairs).size()];
            int i = 0;
            for (Map.Entry<?, ?> e : pairs) {
                if (i == flat.length) { // a concurrent add: the pairs the collection had at the start
                    break;
                }
                flat[i++] = e.getKey();
                flat[i++] = e.getValue();
            }
            return i == flat.length ? flat : Arrays.copyOf(flat, i);
        }
        List<Object> flat = new ArrayList<>();
        for (Map.Entry<?, ?> e : pairs) {
            flat.add(e.getKey());
            flat.add(e.getValue());
        }
        return flat.toArray();
    }

    private <R> AsyncResult<List<R>> submitMap(int shape, Object fn, Object[] flat, int per, int chunksize,
                                               Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback,
                                               Progress progress, String verb) {
        if (chunksize < 0) {
            throw new IllegalArgumentException("chunksize must be >= 1, or 0 for automatic; was " + chunksize);
        }
        int n = flat.length / per;
        AsyncResult<List<R>> result = new AsyncResult<>(engine);
        if (n == 0) {
            engine.encode(shape, fn, new Object[0]); // refuse an unencodable function even without items
            if (!engine.isRunning()) {
                throw new IllegalStateException("pool is not running: pool '" + engine.name() + "' was closed");
            }
            progress.start(verb, 0).finish();
            result.succeed(Collections.emptyList());
            return result;
        }
        int size = chunksize > 0 ? chunksize : defaultChunksize(n, engine.config().size());
        int count = (n + size - 1) / size;
        // The first chunk is encoded before anything else happens, so that an unencodable function is
        // refused with nothing queued; later chunks are each encoded just before they are submitted, so
        // the workers start on the first while this thread encodes the rest.
        Object[] scratch = new Object[Math.min(n, size) * per]; // the arguments of each full chunk in turn
        EncodedTask first = encodeChunk(shape, fn, flat, per, size, n, 0, scratch);
        ProgressMeter meter = progress.start(verb, n);
        MapJob<R> job = new MapJob<>(n, count, result, callback, errorCallback, engine.name(), meter);
        long[] seqs = new long[count];
        result.canceller(stop -> {
            for (long s : seqs) {
                if (s != 0) {
                    engine.cancel(s, stop);
                }
            }
        });
        for (int k = 0; k < count; k++) {
            try {
                EncodedTask body = k == 0 ? first : encodeChunk(shape, fn, flat, per, size, n, k, scratch);
                seqs[k] = engine.submit(body, job.chunk(k * size), false, null);
            } catch (RuntimeException e) {
                meter.finish();
                result.cancel(false);
                throw e;
            }
        }
        return result;
    }

    /**
     * Chunk {@code k} of a map's {@code n} calls of {@code per} arguments each, {@code size} calls a chunk.
     * A full chunk's arguments are copied into {@code scratch} (of a full chunk's length), which the encoding
     * does not keep, so a map allocates one chunk's array rather than one per chunk.
     */
    private EncodedTask encodeChunk(int shape, Object fn, Object[] flat, int per, int size, int n, int k,
                                    Object[] scratch) {
        int from = k * size * per;
        int to = Math.min(n, k * size + size) * per;
        if (to - from != scratch.length) {
            return engine.encode(shape, fn, Arrays.copyOfRange(flat, from, to)); // the last, shorter chunk
        }
        System.arraycopy(flat, from, scratch, 0, scratch.length);
        return engine.encode(shape, fn, scratch);
    }

    /** Python's rule: four chunks per worker, rounded up. */
    static int defaultChunksize(int n, int workers) {
        int c = n / (workers * 4);
        if (n % (workers * 4) != 0) {
            c++;
        }
        return Math.max(1, c);
    }

    // ------------------------------------------------------------------ imap

    /**
     * Applies {@code fn} to every item, one item per task message; results come in input order while
     * the rest of the work goes on; Python's {@code imap}. The input is read lazily by a feeder thread,
     * never more than the pool's look-ahead ({@link Builder#imapLookahead}) of chunks ahead of the
     * results. Does not block.
     *
     * @throws SerializationException when the function cannot be encoded (an item that cannot be encoded
     *     fails at its place in the iteration, and the input is not read further)
     * @throws IllegalStateException when the pool is not running
     */
    public <A, R> ResultIterator<R> imap(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return imap(fn, items, 1);
    }

    /** As {@link #imap(SerializableFunction, Iterable)} with {@code chunksize} items per task message. */
    public <A, R> ResultIterator<R> imap(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items,
                                         int chunksize) {
        return startImap(TaskShape.FUNCTION, fn, items, chunksize, true, Progress.none());
    }

    /**
     * As {@link #imap(SerializableFunction, Iterable, int)}, showing its progress (see {@link Progress}):
     * the total is known when {@code items} is a {@link Collection}, else only once the input is
     * exhausted. The progress ends when every item is done, or at {@link ResultIterator#close()}. Any
     * thread; does not block (the listener's first call, {@code (0, total, false)}, runs on this thread
     * before it returns).
     *
     * @throws NullPointerException when {@code progress} is null ({@link Progress#none()} shows nothing)
     * @throws IllegalArgumentException when {@code chunksize} is below 1
     * @throws IllegalStateException when the pool is not running
     */
    public <A, R> ResultIterator<R> imap(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items,
                                         int chunksize, Progress progress) {
        return startImap(TaskShape.FUNCTION, fn, items, chunksize, true, progress);
    }

    /** As {@link #imap(SerializableFunction, Iterable)}, results in completion order; Python's {@code imap_unordered}. */
    public <A, R> ResultIterator<R> imapUnordered(SerializableFunction<? super A, ? extends R> fn,
                                                  Iterable<? extends A> items) {
        return imapUnordered(fn, items, 1);
    }

    /** As {@link #imapUnordered(SerializableFunction, Iterable)} with {@code chunksize}. */
    public <A, R> ResultIterator<R> imapUnordered(SerializableFunction<? super A, ? extends R> fn,
                                                  Iterable<? extends A> items, int chunksize) {
        return startImap(TaskShape.FUNCTION, fn, items, chunksize, false, Progress.none());
    }

    /**
     * As {@link #imapUnordered(SerializableFunction, Iterable, int)}, showing its progress, with the
     * contract of {@link #imap(SerializableFunction, Iterable, int, Progress)}.
     */
    public <A, R> ResultIterator<R> imapUnordered(SerializableFunction<? super A, ? extends R> fn,
                                                  Iterable<? extends A> items, int chunksize, Progress progress) {
        return startImap(TaskShape.FUNCTION, fn, items, chunksize, false, progress);
    }

    private <R> ResultIterator<R> startImap(int shape, Object fn, Iterable<?> items, int chunksize, boolean ordered,
                                            Progress progress) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(progress, "progress");
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be >= 1, was " + chunksize);
        }
        engine.encode(shape, fn, new Object[0]);
        ImapIterator<R> it = new ImapIterator<>(engine, shape, fn, items.iterator(), chunksize, ordered);
        it.start(progress, ordered ? "imap" : "imapUnordered",
                items instanceof Collection ? ((Collection<?>) items).size() : -1);
        return it;
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Stops accepting tasks (Python's {@code close()}), lets every queued task and open {@code imap}
     * finish, then waits until the workers exited and the pool's files are removed (Python's
     * {@code join()}). Idempotent. If interrupted while waiting it {@link #terminate() terminates} and
     * keeps the interrupt status, as {@code ExecutorService.close()} does. Called from a callback on the
     * result thread it only stops accepting tasks and does not wait.
     */
    @Override
    public void close() {
        engine.initiateClose();
        if (engine.onResultThread()) {
            return;
        }
        engine.awaitTerminationUninterruptibly(engine::terminate);
    }

    /**
     * Kills the workers at once (Python's {@code terminate()}); tasks not completed fail with a
     * {@link java.util.concurrent.CancellationException}. Waits until the workers are gone and the files
     * removed (up to 30 s), except when called on the result thread. Idempotent.
     */
    public void terminate() {
        engine.terminate();
    }

    /**
     * Waits until the workers exited after {@link #close()} or {@link #terminate()}; Python's {@code join()}.
     *
     * @throws IllegalStateException when the pool is still running (call close() or terminate() first), or
     *     when called on the result thread
     */
    public void join() throws InterruptedException {
        checkJoinable();
        engine.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * As {@link #join()}, waiting at most {@code timeout}.
     *
     * @return whether the pool has stopped
     */
    public boolean join(Duration timeout) throws InterruptedException {
        checkJoinable();
        return engine.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void checkJoinable() {
        if (engine.isRunning()) {
            throw new IllegalStateException("join() before close() or terminate(): pool '" + engine.name()
                    + "' is still running; call close() or terminate() first");
        }
        if (engine.onResultThread()) {
            throw new IllegalStateException("join() on pool '" + engine.name() + "''s result thread would wait forever");
        }
    }

    /** Whether the pool accepts tasks. */
    public boolean isRunning() {
        return engine.isRunning();
    }

    /** Whether the workers have exited and the pool's files are removed. */
    public boolean isTerminated() {
        return engine.isTerminated();
    }

    /** The number of workers the pool keeps. */
    public int size() {
        return engine.config().size();
    }

    /** The pool's name. */
    public String name() {
        return engine.name();
    }

    /**
     * The directory of the pool's space (its task and result channels, and the workers' state file);
     * {@code ipckit inspect DIR} shows each worker's pid, state and tasks done. Removed when the pool ends.
     * Null for a {@link Builder#cluster} pool, whose workers are the nodes', unless it has local workers
     * beside them ({@link Builder#processes}): their space then. Any thread, also after close;
     * does not block.
     */
    public java.nio.file.Path directory() {
        return engine.directory();
    }

    /**
     * Pids of the live worker JVMs, a snapshot (replaced workers have new pids). Right after creation some
     * workers may not be started yet: {@link #awaitReady(Duration)} waits for all of them. For a
     * {@link Builder#cluster} pool, the workers of the nodes that are members now (pids of their hosts;
     * one read of the cluster), and those of this host when it has local workers too.
     */
    public List<Long> workerPids() {
        return engine.workerPids();
    }

    /**
     * Waits until every worker has booted and run the initializer; for code that needs the whole pool up
     * (a benchmark, a test counting workers, an initializer whose failure should stop the program here).
     * Tasks need no such wait. For a {@link Builder#cluster} pool: until at least one node with workers is a
     * member of the cluster (and its local workers, if any, are all up). Any thread; blocks up to {@code timeout}.
     *
     * @return this pool
     * @throws RuntimeException what the initializer threw in a worker (with its remote stack trace), or an
     *     {@link IllegalStateException} when a worker could not start, the start-up timeout passed or the
     *     pool was closed first; the pool is broken then and its tasks fail with the same cause
     * @throws java.util.concurrent.TimeoutException when {@code timeout} passes first; the workers go on
     *     starting
     * @throws InterruptedException when interrupted while waiting
     */
    public Pool awaitReady(Duration timeout) throws InterruptedException, java.util.concurrent.TimeoutException {
        engine.awaitReady(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    @Override
    public String toString() {
        return "Pool[" + engine.name() + ", " + size() + " workers" + (isRunning() ? "" : ", not running") + "]";
    }

    // ------------------------------------------------------------------ helpers

    private static Object[] toArray(Iterable<?> items) {
        Objects.requireNonNull(items, "items");
        if (items instanceof Collection) {
            return ((Collection<?>) items).toArray();
        }
        List<Object> list = new ArrayList<>();
        items.forEach(list::add);
        return list.toArray();
    }

    /**
     * Waits for the result of a synchronous apply (no callbacks: its sink runs no user code), reading the
     * result channel itself while it spins rather than waiting for the result thread to hand the result
     * over, as ManagerClient reads its own replies.
     */
    private <T> T awaitApply(AsyncResult<T> r) throws InterruptedException {
        if (engine.onResultThread()) {
            return await(r, "apply"); // which refuses to wait there
        }
        engine.readOwnResult(r.seq(), r::isDone, System.nanoTime() + AWAIT_SPIN_NANOS);
        return outcome(r, "apply");
    }

    private <T> T await(AsyncResult<T> r, String verb) throws InterruptedException {
        // A round trip takes tens of microseconds: spin and yield that long before parking, whose
        // wake-up alone costs about as much on a virtual machine.
        long spinUntil = System.nanoTime() + AWAIT_SPIN_NANOS;
        while (!r.isDone() && System.nanoTime() - spinUntil < 0) {
            Thread.yield();
        }
        return outcome(r, verb);
    }

    /** Waits for {@code r} and returns its value, or throws its failure as the pool's calls do. */
    private <T> T outcome(AsyncResult<T> r, String verb) throws InterruptedException {
        try {
            return r.get();
        } catch (ExecutionException e) {
            throw unchecked(e.getCause(), "pool '" + engine.name() + "' " + verb);
        }
    }

    /** The exception to throw in the caller for {@code error}: itself when unchecked, with the call site attached. */
    static RuntimeException unchecked(Throwable error, String call) {
        Remote.attachCallSite(error, call);
        if (error instanceof RuntimeException) {
            return (RuntimeException) error;
        }
        if (error instanceof Error) {
            throw (Error) error;
        }
        return new CompletionException(call + " failed: " + error, error);
    }

    static void runCallback(String pool, Consumer<Object> callback, Object value) {
        try {
            callback.accept(value);
        } catch (Throwable t) {
            System.err.println("ipckit pool '" + pool + "': a callback threw; the pool goes on:");
            t.printStackTrace();
        }
    }

    /** Completes an AsyncResult of one task. */
    private static final class ApplySink<R> implements Sink {
        private final AsyncResult<R> result;
        private final Consumer<? super R> callback;
        private final Consumer<? super Throwable> errorCallback;
        private final String pool;

        ApplySink(AsyncResult<R> result, Consumer<? super R> callback, Consumer<? super Throwable> errorCallback,
                  String pool) {
            this.result = result;
            this.callback = callback;
            this.errorCallback = errorCallback;
            this.pool = pool;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void complete(Object[] values, Throwable error) {
            if (error == null) {
                R value = (R) values[0];
                if (callback != null) {
                    runCallback(pool, (Consumer<Object>) callback, value);
                }
                result.succeed(value);
            } else {
                if (errorCallback != null) {
                    runCallback(pool, (Consumer<Object>) errorCallback, error);
                }
                result.fail(error);
            }
        }
    }

    /** Collects the chunks of a map into one list. All its methods run on the result thread. */
    private static final class MapJob<R> {
        private final Object[] out;
        private final AsyncResult<List<R>> result;
        private final Consumer<? super List<R>> callback;
        private final Consumer<? super Throwable> errorCallback;
        private final String pool;
        private final ProgressMeter meter;
        private int remaining;
        private boolean failed;

        MapJob(int n, int chunks, AsyncResult<List<R>> result, Consumer<? super List<R>> callback,
               Consumer<? super Throwable> errorCallback, String pool, ProgressMeter meter) {
            this.meter = meter;
            this.out = new Object[n];
            this.remaining = chunks;
            this.result = result;
            this.callback = callback;
            this.errorCallback = errorCallback;
            this.pool = pool;
        }

        @SuppressWarnings("unchecked")
        Sink chunk(int offset) {
            return (values, error) -> {
                if (failed || result.isDone()) {
                    return;
                }
                if (error != null) {
                    failed = true;
                    meter.finish();
                    if (errorCallback != null) {
                        runCallback(pool, (Consumer<Object>) errorCallback, error);
                    }
                    result.fail(error);
                    return;
                }
                System.arraycopy(values, 0, out, offset, values.length);
                meter.advance(values.length);
                if (--remaining == 0) {
                    meter.finish();
                    List<R> list = (List<R>) Collections.unmodifiableList(Arrays.asList(out));
                    if (callback != null) {
                        runCallback(pool, (Consumer<Object>) callback, list);
                    }
                    result.succeed(list);
                }
            };
        }
    }

    // ------------------------------------------------------------------ builder

    /**
     * Options of a pool (or of a {@link ProcessPoolExecutor}), checked as they are set. Not thread-safe.
     */
    public static final class Builder {
        private int processes = Runtime.getRuntime().availableProcessors();
        private SerializableRunnable initializer;
        private int maxTasksPerWorker;
        private final List<String> jvmOptions = new ArrayList<>();
        private String name;
        private Duration taskTimeout;
        private int retries;
        private ProcessBuilder.Redirect output = ProcessBuilder.Redirect.INHERIT;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private int lookahead;
        private boolean classDataSharing = true;
        /** The cluster address, or null for a pool of this host. */
        private String cluster;
        /** The first option set that a cluster's workers cannot honour (initializer, taskTimeout), or null. */
        private String localOption;
        /** The first option of this host's worker JVMs set (processes, JVM options...), or null. */
        private String workerOption;
        /** Whether {@link #processes} was called: with {@link #cluster}, the local workers beside the nodes'. */
        private boolean processesSet;

        private Builder() {
        }

        /**
         * Runs the tasks on the workers of the nodes of a cluster instead of worker JVMs of this host:
         * {@code address} is a cluster address, {@code ipckit-cluster://NAME@host1:port,host2:port#TOKEN},
         * whose nodes were started with workers ({@code ipckit node --cluster ADDRESS --workers N}). The
         * pool's size is the number of the nodes' workers when it is built; the task's classes must be on
         * the nodes' class path. Needs {@code io.ipckit:ipc-cluster} on the class path ({@link #build()}
         * says so otherwise).
         *
         * <p>With {@link #processes processes(n)} as well, the pool adds {@code n} worker JVMs of this host
         * beside the nodes' (the size is then both together): a task runs on a local worker when one is
         * free, else on the cluster, so a synchronous {@code apply} loop stays on this host and bursts spill
         * over to the nodes. A local worker's death costs what it costs in a local pool (the task fails
         * with a {@link WorkerCrashedException} or runs again, by {@link #retries}); local workers never take
         * tasks another caller handed to the cluster. {@link #maxTasksPerWorker}, {@link #workerJvmOptions},
         * {@link #workerOutput} and {@link #classDataSharing} then shape the local workers, and without
         * {@code processes} they are refused at {@link #build()}. {@link #initializer} and
         * {@link #taskTimeout} are refused with {@code cluster} in either order: the nodes' workers cannot
         * honour them. {@link #name}, {@link #retries}, {@link #startupTimeout} and {@link #imapLookahead}
         * apply.
         *
         * @throws IllegalArgumentException when {@code address} is blank, has no {@code scheme://}, or
         *     {@link #initializer} or {@link #taskTimeout} was set (the message names it; never the token)
         * @throws NullPointerException when {@code address} is null
         */
        public Builder cluster(String address) {
            Objects.requireNonNull(address, "address");
            if (address.isBlank() || address.indexOf("://") <= 0) {
                throw new IllegalArgumentException("cluster address '" + Engines.redacted(address) + "' is not of the"
                        + " form ipckit-cluster://NAME@host:port,...#TOKEN");
            }
            if (localOption != null) {
                throw new IllegalArgumentException("cluster(" + Engines.redacted(address) + ") conflicts with "
                        + localOption + ", set before: the nodes' workers (ipckit node --cluster ADDRESS --workers N)"
                        + " cannot honour it, so tasks would behave differently by where they run; drop one of the two");
            }
            this.cluster = address;
            return this;
        }

        /** Records an option that a cluster's workers cannot honour, refused when {@link #cluster} was set. */
        private void local(String option) {
            if (cluster != null) {
                throw new IllegalArgumentException(option + " conflicts with cluster(" + Engines.redacted(cluster)
                        + "), set before: the nodes' workers (ipckit node --cluster ADDRESS --workers N) cannot"
                        + " honour it, so tasks would behave differently by where they run; drop one of the two");
            }
            if (localOption == null) {
                localOption = option;
            }
        }

        /** Records an option of this host's worker JVMs (checked against {@link #cluster} at build). */
        private void workerOption(String option) {
            if (workerOption == null) {
                workerOption = option;
            }
        }

        /**
         * Number of worker JVMs (default: available processors).
         *
         * @throws IllegalArgumentException when {@code n < 1}
         */
        public Builder processes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a pool needs at least 1 process, was " + n);
            }
            workerOption("processes(" + n + ")");
            this.processesSet = true;
            this.processes = n;
            return this;
        }

        /**
         * Runs {@code init} once in each worker before its first task (Python's {@code initializer}). If it
         * throws, creating the pool fails with that exception.
         *
         * @throws SerializationException when it cannot be encoded
         */
        public Builder initializer(SerializableRunnable init) {
            Codec.defaults().encode(Objects.requireNonNull(init, "init"));
            local("initializer(...)");
            this.initializer = init;
            return this;
        }

        /**
         * Runs {@code init.accept(arg)} once in each worker before its first task (Python's
         * {@code initializer} with {@code initargs}; pass a record or a list for several arguments).
         *
         * @throws SerializationException when the function or the argument cannot be encoded
         */
        public <A> Builder initializer(SerializableConsumer<? super A> init, A arg) {
            Objects.requireNonNull(init, "init");
            return initializer(() -> init.accept(arg));
        }

        /**
         * A worker exits after this many tasks (task messages: chunks for map) and a new one replaces it
         * (Python's {@code maxtasksperchild}). Unset, the default, workers live as long as the pool, as with
         * Python's {@code maxtasksperchild=None}.
         *
         * @throws IllegalArgumentException when {@code n < 1}, as Python refuses 0 and negative counts
         */
        public Builder maxTasksPerWorker(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxTasksPerWorker must be >= 1, was " + n
                        + "; for no limit leave it unset (Python's maxtasksperchild=None)");
            }
            workerOption("maxTasksPerWorker(" + n + ")");
            this.maxTasksPerWorker = n;
            return this;
        }

        /**
         * Options for the worker JVMs (heap size, system properties...), after ipckit's own flags and
         * {@link #DEFAULT_WORKER_JVM_OPTIONS}; a later option wins (so {@code "-XX:+UseParallelGC"} replaces
         * the serial collector).
         */
        public Builder workerJvmOptions(String... options) {
            workerOption("workerJvmOptions(...)");
            for (String o : options) {
                if (Objects.requireNonNull(o, "option").isBlank()) {
                    throw new IllegalArgumentException("a worker JVM option is blank");
                }
                jvmOptions.add(o);
            }
            return this;
        }

        /**
         * The pool's name, used in thread names and messages (default {@code pool-<n>}).
         *
         * @throws IllegalArgumentException unless 1 to 100 characters of {@code [A-Za-z0-9._-]}, not {@code .}
         *         or {@code ..} (the rule of every ipckit name); the message shows the name, control
         *         characters escaped and long names cut
         */
        public Builder name(String name) {
            this.name = Names.validate("pool", name);
            return this;
        }

        /**
         * A task message (a chunk, for map) running longer than this fails with a
         * {@link java.util.concurrent.TimeoutException}, and its worker is killed and replaced. Default: none.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder taskTimeout(Duration timeout) {
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("taskTimeout must be positive, was " + timeout);
            }
            local("taskTimeout(" + timeout + ")");
            this.taskTimeout = timeout;
            return this;
        }

        /**
         * How many times a task whose worker died is queued again before it fails with a
         * {@link WorkerCrashedException} (default 0). Only for tasks that may run more than once.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder retries(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("retries must be >= 0, was " + n);
            }
            this.retries = n;
            return this;
        }

        /** Where the workers' standard output and error go (default: this JVM's, as in Python). */
        public Builder workerOutput(ProcessBuilder.Redirect to) {
            Objects.requireNonNull(to, "to");
            workerOption("workerOutput(" + to + ")");
            this.output = to;
            return this;
        }

        /**
         * How long the workers may take to start and run the initializer (default 60 s); past it the pool
         * breaks (its tasks fail with an {@link IllegalStateException} naming the timeout).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder startupTimeout(Duration timeout) {
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * How many chunks an {@code imap} keeps submitted and unfinished at most, which bounds how far it
         * reads its input ahead (default: {@code max(64, 16 * processes)}).
         *
         * @throws IllegalArgumentException when {@code chunks < 1}
         */
        public Builder imapLookahead(int chunks) {
            if (chunks < 1) {
                throw new IllegalArgumentException("imapLookahead must be >= 1, was " + chunks);
            }
            this.lookahead = chunks;
            return this;
        }

        /**
         * Whether worker JVMs use an application class-data sharing archive (default true): the first
         * worker on a classpath writes one to {@code ~/.cache/ipckit/cds} when it exits, later workers
         * start faster with it. Only possible when the classpath is made of jars; ignored otherwise.
         */
        public Builder classDataSharing(boolean enabled) {
            workerOption("classDataSharing(" + enabled + ")");
            this.classDataSharing = enabled;
            return this;
        }

        /**
         * Starts the pool and returns at once, as Python's {@code Pool()} does: tasks wait on the task
         * channel and each worker takes them as it comes up. Workers boot a few at a time (half the
         * available processors, at least one; the next starts as one is ready or after a second), so on a
         * small machine the first is ready soonest. A start-up failure (the initializer throws, a worker
         * JVM exits before it is ready, the {@link #startupTimeout} passes) breaks the pool: its tasks fail
         * with that cause and {@link Pool#awaitReady(Duration)} throws it. Never a hang. Any thread.
         *
         * <p>With {@link #cluster}: connects to the cluster (blocks, at most the cluster module's connect
         * bound, 10 s) and returns a pool whose tasks run on the nodes' workers, and with {@link #processes}
         * also on that many worker JVMs of this host, started as above once the cluster is reached.
         *
         * @throws IllegalStateException when the pool's files cannot be created or the first worker JVMs
         *     cannot be started
         * @throws IllegalArgumentException with {@link #cluster}, when no engine on the class path takes the
         *     address (the message names {@code io.ipckit:ipc-cluster}, never the token) or it is malformed,
         *     or when an option of this host's worker JVMs was set without {@link #processes}
         * @throws RuntimeException with {@link #cluster}, the cluster module's exception when the cluster
         *     cannot be reached within its bound
         */
        public Pool build() {
            return new Pool(engine());
        }

        /** Starts a {@link ProcessPoolExecutor} with these options; as {@link #build()}, also for {@link #cluster}. */
        public ProcessPoolExecutor buildExecutor() {
            return new ProcessPoolExecutor(engine());
        }

        private Engine engine() {
            if (cluster != null && !processesSet && workerOption != null) {
                throw new IllegalArgumentException(workerOption + " is an option of worker JVMs of this host, and"
                        + " with cluster(" + Engines.redacted(cluster) + ") there are none unless processes(n) adds"
                        + " n of them beside the nodes' workers; add processes(n) or drop " + workerOption);
            }
            return Engines.start(cluster, config(), cluster != null && processesSet ? processes : 0);
        }

        private Config config() {
            List<String> options = new ArrayList<>(DEFAULT_WORKER_JVM_OPTIONS);
            options.addAll(jvmOptions);
            return new Config(name != null ? name : LocalEngine.nextName(), processes, maxTasksPerWorker,
                    List.copyOf(options), initializer, taskTimeout == null ? 0 : taskTimeout.toNanos(), retries,
                    output, startupTimeout.toNanos(), lookahead > 0 ? lookahead : Math.max(64, 16 * processes),
                    classDataSharing);
        }
    }
}
