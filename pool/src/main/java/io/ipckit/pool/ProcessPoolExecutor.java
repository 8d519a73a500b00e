package io.ipckit.pool;

import io.ipckit.core.SerializableCallable;
import io.ipckit.core.SerializableRunnable;
import io.ipckit.core.SerializationException;
import io.ipckit.pool.internal.caller.EncodedTask;
import io.ipckit.pool.internal.caller.Engine;
import io.ipckit.pool.internal.caller.Sink;
import io.ipckit.pool.internal.TaskShape;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.io.Serializable;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Python's {@code concurrent.futures.ProcessPoolExecutor} as a Java {@link ExecutorService}: tasks run
 * in worker JVMs, and every future is a {@link CompletableFuture}, so done-callbacks
 * ({@code whenComplete}), {@code cancel} before start and as-completed
 * ({@code CompletableFuture.anyOf}, {@link #invokeAny}) work the Java way.
 *
 * <p>Tasks must be serializable: lambdas passed straight to {@code submit} are (the overloads taking
 * {@link SerializableCallable}/{@link SerializableRunnable} are chosen); a task whose class is not
 * {@link Serializable}, or that cannot be encoded, is refused at submit (synchronously, nothing queued)
 * with a {@link SerializationException} naming its class and the fix; the executor goes on. A task's exception is the cause
 * of the {@link ExecutionException} its future throws, with the worker's stack trace. Failures are
 * those of {@link Pool}: a dead worker fails its task with {@link WorkerCrashedException} and is
 * replaced; nothing hangs.
 *
 * <p>{@link java.util.concurrent.ExecutorCompletionService} works: the executor is an
 * {@link AbstractExecutorService}, so the service makes its tasks with {@link #newTaskFor} and hands them
 * to {@link #execute} in its own wrapper, which this executor recognizes (see {@code execute}). Other code
 * that wraps tasks in Runnables of its own cannot send them to a worker: {@code execute} refuses those
 * with a {@link SerializationException} that names what to use instead.
 *
 * <p>Futures complete on the executor's result thread; dependent actions added before completion run
 * there and must not block. {@link #close()} is {@code shutdown()} plus waiting for termination (as
 * Python's {@code with} and Java 19's {@code ExecutorService.close()}). Any thread may call any method.
 */
public final class ProcessPoolExecutor extends AbstractExecutorService implements AutoCloseable {
    /**
     * The task {@link #newTaskFor} made last on this thread, until the {@link #execute} that follows takes
     * it: how a JDK helper's own wrapper of that task is recognized (see {@link #execute}).
     */
    private static final ThreadLocal<RemoteTask<?>> MADE_FOR_EXECUTE = new ThreadLocal<>();

    private final Engine engine;

    ProcessPoolExecutor(Engine engine) {
        this.engine = engine;
    }

    /**
     * An executor of {@code workers} worker JVMs; returns at once, the workers boot in the background (as
     * {@link Pool.Builder#build()}). Any thread.
     *
     * @throws IllegalArgumentException when {@code workers < 1}
     */
    public static ProcessPoolExecutor create(int workers) {
        return Pool.builder().processes(workers).buildExecutor();
    }

    /** Options of a new executor; finish with {@link Pool.Builder#buildExecutor()}. */
    public static Pool.Builder builder() {
        return Pool.builder();
    }

    /**
     * Queues {@code task}. Does not block.
     *
     * @throws SerializationException when the task cannot be encoded
     * @throws RejectedExecutionException after shutdown
     */
    public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
        return submitTask(TaskShape.CALLABLE, Objects.requireNonNull(task, "task"), task);
    }

    /**
     * Queues {@code task}, which must be serializable (a {@link SerializableCallable} or a class
     * implementing {@link java.io.Serializable}).
     *
     * @throws SerializationException when it is not, naming the fix
     * @throws RejectedExecutionException after shutdown
     */
    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        return submitTask(TaskShape.CALLABLE, Objects.requireNonNull(task, "task"), task);
    }

    /** Queues {@code task}; its future completes with null. */
    public CompletableFuture<Void> submit(SerializableRunnable task) {
        return submitTask(TaskShape.RUNNABLE, Objects.requireNonNull(task, "task"), task);
    }

    /** Queues {@code task} (which must be serializable); its future completes with null. */
    @Override
    public CompletableFuture<?> submit(Runnable task) {
        return submitTask(TaskShape.RUNNABLE, Objects.requireNonNull(task, "task"), task);
    }

    /** Queues {@code task}; its future completes with {@code result}. */
    public <T> CompletableFuture<T> submit(SerializableRunnable task, T result) {
        return submit((Runnable) task, result);
    }

    /** Queues {@code task} (which must be serializable); its future completes with {@code result}. */
    @Override
    public <T> CompletableFuture<T> submit(Runnable task, T result) {
        return submitTask(TaskShape.RUNNABLE, Objects.requireNonNull(task, "task"), task, result);
    }

    /**
     * Queues {@code command}; a failure is printed on standard error, as an uncaught exception of a thread
     * pool would be. Any thread; does not block.
     *
     * <p>{@code command} is either serializable, and runs in a worker, or the wrapper a JDK helper built
     * around a task this executor's {@link #newTaskFor} just made on the same thread: that is how
     * {@link java.util.concurrent.ExecutorCompletionService} submits ({@code newTaskFor}, then
     * {@code execute} of its own queueing wrapper). The task inside runs in a worker, and the wrapper runs
     * here, on the executor's result thread, once the task is done (it finds the task's outcome ready and
     * hands it on, e.g. to the completion queue), so {@code new ExecutorCompletionService<>(executor)}
     * works with serializable callables and runnables.
     *
     * @throws SerializationException when {@code command} is neither: the message names the class and
     *     what to use instead
     * @throws RejectedExecutionException after shutdown
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        RemoteTask<?> made = MADE_FOR_EXECUTE.get();
        if (made != null) {
            MADE_FOR_EXECUTE.remove();
        }
        if (command instanceof RemoteTask && ((RemoteTask<?>) command).executor == this) {
            ((RemoteTask<?>) command).dispatch(null);
            return;
        }
        if (!(command instanceof Serializable) && made != null && made.executor == this) {
            made.dispatch(command);
            return;
        }
        if (!(command instanceof Serializable)) {
            throw new SerializationException("executor '" + engine.name() + "' cannot run a "
                    + command.getClass().getName() + " given to execute(): it is not Serializable, and tasks run"
                    + " in worker JVMs. Make it implement java.io.Serializable or pass a SerializableRunnable"
                    + " lambda; a JDK helper that wraps tasks in its own Runnable works only if it makes them"
                    + " with newTaskFor, as ExecutorCompletionService does; otherwise submit a SerializableCallable"
                    + " and chain on its CompletableFuture (whenComplete, thenApply, CompletableFuture.anyOf), or"
                    + " use Pool.imapUnordered for results in completion order");
        }
        submit(command).whenComplete((v, error) -> {
            if (error != null) {
                System.err.println("ipckit executor '" + engine.name() + "': a task run with execute() failed:");
                error.printStackTrace();
            }
        });
    }

    /**
     * Python's {@code Executor.map(fn, iterable)}: {@code fn} applied to every item in the workers, results
     * in input order, lazily: the input is read while the work goes on (a bounded look-ahead), and each
     * result is there as soon as it and those before it are. A failed item throws its task's exception
     * from {@code next()} (see {@link ResultIterator}). Any thread; does not block.
     *
     * @throws RejectedExecutionException after shutdown
     * @throws SerializationException when {@code fn} cannot be encoded
     */
    public <A, R> ResultIterator<R> map(io.ipckit.core.SerializableFunction<? super A, ? extends R> fn,
                                        Iterable<? extends A> items) {
        return map(fn, items, null, 1);
    }

    /**
     * As {@link #map(io.ipckit.core.SerializableFunction, Iterable)} with Python's {@code timeout} and
     * {@code chunksize}: items travel {@code chunksize} to a task message, and when {@code timeout} is not
     * null every result must be there within it of this call, else {@code next()} throws a
     * {@link java.util.concurrent.CompletionException} caused by a {@link TimeoutException} (Python's
     * {@code TimeoutError}) and the rest of the input is not read.
     *
     * @throws IllegalArgumentException when {@code chunksize} is below 1
     */
    public <A, R> ResultIterator<R> map(io.ipckit.core.SerializableFunction<? super A, ? extends R> fn,
                                        Iterable<? extends A> items, java.time.Duration timeout, int chunksize) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be >= 1, was " + chunksize);
        }
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        encode(TaskShape.FUNCTION, fn);
        ImapIterator<R> it = new ImapIterator<>(engine, TaskShape.FUNCTION, fn, items.iterator(), chunksize, true);
        try {
            it.start(Progress.none(), "map", items instanceof Collection ? ((Collection<?>) items).size() : -1);
        } catch (IllegalStateException e) {
            throw new RejectedExecutionException("executor '" + engine.name() + "' is shut down: " + e.getMessage(), e);
        }
        return timeout == null ? it : new DeadlineIterator<>(it, deadline);
    }

    /**
     * A future of {@code callable}, which runs in a worker once {@link #execute} is given it or a wrapper
     * of it (see there). For {@link java.util.concurrent.ExecutorCompletionService}, which calls this
     * method because this executor is an {@link AbstractExecutorService}. Any thread; does not block.
     *
     * @throws SerializationException when {@code callable} is not serializable or cannot be encoded
     */
    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return made(new RemoteTask<>(this, TaskShape.CALLABLE, Objects.requireNonNull(callable, "task"), null));
    }

    /** As {@link #newTaskFor(Callable)}, for a runnable whose future completes with {@code value}. */
    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return made(new RemoteTask<>(this, TaskShape.RUNNABLE, Objects.requireNonNull(runnable, "task"), value));
    }

    private static <T> RemoteTask<T> made(RemoteTask<T> task) {
        MADE_FOR_EXECUTE.set(task);
        return task;
    }

    private <T> TaskFuture<T> submitTask(int shape, Object fn, Object original) {
        return submitTask(shape, fn, original, null);
    }

    private <T> TaskFuture<T> submitTask(int shape, Object fn, Object original, T fixedResult) {
        TaskFuture<T> future = new TaskFuture<>(engine, fixedResult);
        queue(future, encode(shape, fn), shape == TaskShape.RUNNABLE ? original : asRunnable((Callable<?>) original));
        return future;
    }

    /**
     * Encodes a task given to this executor.
     *
     * @throws SerializationException when its class is not {@link Serializable} (the codec would send it,
     *     but the class Javadoc promises this check: a task holding a live resource is caught here) or
     *     it cannot be encoded
     */
    private EncodedTask encode(int shape, Object fn) {
        if (!(fn instanceof Serializable)) {
            String type = fn.getClass().getName();
            boolean lambda = fn.getClass().isSynthetic() || type.contains("$$Lambda");
            throw new SerializationException("executor '" + engine.name() + "' cannot send the task " + type
                    + " to a worker JVM: it is not Serializable. " + (lambda
                    ? "A lambda or method reference is serializable when its target type is: pass it straight to"
                    + " submit (which picks SerializableCallable/SerializableRunnable) or declare or cast it as"
                    + " io.ipckit.core.SerializableCallable / SerializableRunnable"
                    : "Make " + type + " implement java.io.Serializable, or pass a lambda typed as"
                    + " io.ipckit.core.SerializableCallable / SerializableRunnable"));
        }
        return engine.encode(shape, fn, null);
    }

    private void queue(TaskFuture<?> future, EncodedTask body, Object original) {
        try {
            future.seq = engine.submit(body, future, false, original);
        } catch (IllegalStateException e) {
            throw new RejectedExecutionException("executor '" + engine.name() + "' is shut down: " + e.getMessage(), e);
        }
    }

    private static Runnable asRunnable(Callable<?> c) {
        return new Runnable() {
            @Override
            public void run() {
                try {
                    c.call();
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }

            @Override
            public String toString() {
                return c.toString();
            }
        };
    }

    /**
     * Runs every task and waits for all; the returned futures are done, in the order of {@code tasks}.
     *
     * @throws SerializationException when a task cannot be encoded (none runs)
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> f : futures) {
                awaitDone(f);
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return futures;
    }

    /**
     * As {@link #invokeAll(Collection)}; tasks not done when the timeout passes are cancelled (the
     * workers of running ones are killed and replaced, as {@code cancel(true)} does).
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> f : futures) {
                long left = deadline - System.nanoTime();
                try {
                    f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException e) {
                    // done
                } catch (TimeoutException e) {
                    break;
                }
            }
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
        return futures;
    }

    /**
     * Runs the tasks and returns the result of the first that succeeds; the others are cancelled
     * ({@code cancel(true)}: the workers of running ones are killed and replaced).
     *
     * @throws ExecutionException when every task failed (the cause is the last failure)
     * @throws IllegalArgumentException when {@code tasks} is empty
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("unreachable: invokeAny without a deadline timed out", e);
        }
    }

    /** As {@link #invokeAny(Collection)}, waiting at most {@code timeout}. */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        List<Future<T>> futures = submitAll(tasks);
        CompletableFuture<T> first = new CompletableFuture<>();
        AtomicInteger failures = new AtomicInteger();
        for (Future<T> f : futures) {
            ((CompletableFuture<T>) f).whenComplete((v, error) -> {
                if (error == null) {
                    first.complete(v);
                } else if (failures.incrementAndGet() == futures.size()) {
                    first.completeExceptionally(error instanceof java.util.concurrent.CompletionException
                            && error.getCause() != null ? error.getCause() : error);
                }
            });
        }
        try {
            return unit.toNanos(timeout) == Long.MAX_VALUE ? first.get() : first.get(timeout, unit);
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        for (Callable<T> t : tasks) {
            encode(TaskShape.CALLABLE, Objects.requireNonNull(t, "task"));
        }
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                futures.add(submit(t));
            }
        } catch (RuntimeException e) {
            futures.forEach(f -> f.cancel(false));
            throw e;
        }
        return futures;
    }

    private static void awaitDone(Future<?> f) throws InterruptedException {
        try {
            f.get();
        } catch (ExecutionException | CancellationException e) {
            // done
        }
    }

    /** Stops accepting tasks; queued ones run, then the workers exit. Does not wait. */
    @Override
    public void shutdown() {
        engine.initiateClose();
    }

    /**
     * Python's {@code shutdown(wait=False, cancel_futures=...)}: stops accepting tasks; with
     * {@code cancelPending}, every task not started yet fails with a {@link CancellationException}, while
     * running ones finish and their futures complete as usual (unlike {@link #shutdownNow()}, which kills
     * them). Any thread; does not block (wait with {@link #awaitTermination}).
     *
     * @return how many pending tasks were cancelled (0 without {@code cancelPending})
     */
    public int shutdown(boolean cancelPending) {
        engine.initiateClose();
        return cancelPending ? engine.cancelNotStarted() : 0;
    }

    /**
     * Kills the workers: tasks not started are cancelled and returned (best effort), running ones fail
     * with a {@link CancellationException}. Waits until the workers are gone (up to 30 s). To cancel only
     * the pending tasks and let the running ones finish, use {@link #shutdown(boolean) shutdown(true)}.
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> notStarted = new ArrayList<>();
        for (Object o : engine.terminateNow()) {
            notStarted.add((Runnable) o);
        }
        return notStarted;
    }

    @Override
    public boolean isShutdown() {
        return engine.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return engine.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return engine.awaitTermination(timeout, unit);
    }

    /**
     * {@link #shutdown()}, then waits for termination; if interrupted, {@link #shutdownNow()} and keeps
     * the interrupt status. Idempotent.
     */
    @Override
    public void close() {
        shutdown();
        if (engine.onResultThread()) {
            return;
        }
        engine.awaitTerminationUninterruptibly(this::shutdownNow);
    }

    /** The number of worker JVMs. */
    public int size() {
        return engine.config().size();
    }

    /** Pids of the live worker JVMs, a snapshot; some may not be started yet right after creation. */
    public List<Long> workerPids() {
        return engine.workerPids();
    }

    /**
     * Waits until every worker has booted and run the initializer; as {@link Pool#awaitReady(Duration)}.
     * Any thread; blocks up to {@code timeout}.
     *
     * @return this executor
     * @throws RuntimeException the start-up failure (the initializer's exception, or an
     *     {@link IllegalStateException}); the executor is broken then
     * @throws java.util.concurrent.TimeoutException when {@code timeout} passes first
     * @throws InterruptedException when interrupted while waiting
     */
    public ProcessPoolExecutor awaitReady(java.time.Duration timeout)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        engine.awaitReady(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    @Override
    public String toString() {
        return "ProcessPoolExecutor[" + engine.name() + ", " + size() + " workers"
                + (isShutdown() ? ", shut down" : "") + "]";
    }

    /**
     * A task made by {@link #newTaskFor}: encoded at once (so a bad task fails where it is handed over),
     * queued by {@link #execute} (itself, or a JDK helper's wrapper of it: the carrier), and done when its
     * worker's outcome arrives; the carrier then runs on the result thread and finds it done. Its future
     * side is a {@link TaskFuture}: {@code cancel} reaches the worker as {@code submit}'s futures' does.
     */
    private static final class RemoteTask<T> implements RunnableFuture<T> {
        final ProcessPoolExecutor executor;
        private final EncodedTask body;
        private final Object task;
        private final TaskFuture<T> future;
        private boolean dispatched;

        RemoteTask(ProcessPoolExecutor executor, int shape, Object task, T fixedResult) {
            this.executor = executor;
            this.task = task;
            this.body = executor.encode(shape, task);
            this.future = new TaskFuture<>(executor.engine, fixedResult);
        }

        /**
         * Queues the task unless it was queued already or is cancelled; then {@code carrier} (if any) runs
         * once the task is done.
         *
         * @throws RejectedExecutionException after shutdown (the carrier does not run then)
         */
        void dispatch(Runnable carrier) {
            synchronized (this) {
                if (dispatched) {
                    return;
                }
                dispatched = true;
            }
            if (!future.isDone()) {
                executor.queue(future, body, carrier != null ? carrier : this);
            }
            if (carrier != null) {
                future.whenComplete((v, error) -> {
                    try {
                        carrier.run();
                    } catch (RuntimeException | Error e) {
                        System.err.println("ipckit executor '" + executor.engine.name() + "': the "
                                + carrier.getClass().getName() + " wrapping task " + task + " failed:");
                        e.printStackTrace();
                    }
                });
            }
        }

        /**
         * Queues the task if nothing did yet and waits until it is done, as a {@code FutureTask}'s
         * {@code run} computes it; returns at once when it is done (how the carrier finds it). Interrupted,
         * it returns with the interrupt flag set.
         */
        @Override
        public void run() {
            dispatch(null);
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | CancellationException e) {
                // the outcome is the future's
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return future.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled() {
            return future.isCancelled();
        }

        @Override
        public boolean isDone() {
            return future.isDone();
        }

        @Override
        public T get() throws InterruptedException, ExecutionException {
            return future.get();
        }

        @Override
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return future.get(timeout, unit);
        }

        @Override
        public String toString() {
            return "RemoteTask[" + task + ", " + future + "]";
        }
    }

    /**
     * A future whose cancellation reaches the worker side: a task not started never runs; with
     * {@code cancel(true)} a running task's worker is killed and replaced.
     */
    private static final class TaskFuture<T> extends CompletableFuture<T> implements Sink {
        private final Engine engine;
        volatile long seq;
        /** The result of a Runnable submitted with one. */
        private final T fixedResult;

        TaskFuture(Engine engine, T fixedResult) {
            this.engine = engine;
            this.fixedResult = fixedResult;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean c = super.cancel(mayInterruptIfRunning);
            long s = seq;
            if (c && s != 0) {
                engine.cancel(s, mayInterruptIfRunning);
            }
            return c;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void complete(Object[] values, Throwable error) {
            if (error == null) {
                T fixed = fixedResult;
                complete(fixed != null ? fixed : (T) values[0]);
            } else {
                completeExceptionally(error);
            }
        }

        @Override
        public T get() throws InterruptedException, ExecutionException {
            checkNotResultThread();
            return super.get();
        }

        @Override
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            checkNotResultThread();
            return super.get(timeout, unit);
        }

        @Override
        public T join() {
            checkNotResultThread();
            return super.join();
        }

        private void checkNotResultThread() {
            if (!isDone() && engine.onResultThread()) {
                throw new IllegalStateException("waiting for a future on executor '" + engine.name()
                        + "''s result thread (in a dependent action) would wait forever; chain another action instead");
            }
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }
}
