package io.ipckit.pool;

import io.ipckit.core.SerializableCallable;
import io.ipckit.core.SerializableRunnable;
import io.ipckit.core.SerializationException;
import io.ipckit.pool.internal.EncodedTask;
import io.ipckit.pool.internal.Engine;
import io.ipckit.pool.internal.Sink;
import io.ipckit.pool.internal.TaskBody;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
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
 * {@link SerializableCallable}/{@link SerializableRunnable} are chosen); a task that is not is refused
 * at submit with a {@link SerializationException} saying how to fix it. A task's exception is the cause
 * of the {@link ExecutionException} its future throws, with the worker's stack trace. Failures are
 * those of {@link Pool}: a dead worker fails its task with {@link WorkerCrashedException} and is
 * replaced; nothing hangs.
 *
 * <p>Futures complete on the executor's result thread; dependent actions added before completion run
 * there and must not block. {@link #close()} is {@code shutdown()} plus waiting for termination (as
 * Python's {@code with} and Java 19's {@code ExecutorService.close()}). Any thread may call any method.
 */
public final class ProcessPoolExecutor implements ExecutorService, AutoCloseable {
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
        return submitTask(TaskBody.CALLABLE, Objects.requireNonNull(task, "task"), task);
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
        return submitTask(TaskBody.CALLABLE, Objects.requireNonNull(task, "task"), task);
    }

    /** Queues {@code task}; its future completes with null. */
    public CompletableFuture<Void> submit(SerializableRunnable task) {
        return submitTask(TaskBody.RUNNABLE, Objects.requireNonNull(task, "task"), task);
    }

    /** Queues {@code task} (which must be serializable); its future completes with null. */
    @Override
    public CompletableFuture<?> submit(Runnable task) {
        return submitTask(TaskBody.RUNNABLE, Objects.requireNonNull(task, "task"), task);
    }

    /** Queues {@code task}; its future completes with {@code result}. */
    public <T> CompletableFuture<T> submit(SerializableRunnable task, T result) {
        return submit((Runnable) task, result);
    }

    /** Queues {@code task} (which must be serializable); its future completes with {@code result}. */
    @Override
    public <T> CompletableFuture<T> submit(Runnable task, T result) {
        return submitTask(TaskBody.RUNNABLE, Objects.requireNonNull(task, "task"), task, result);
    }

    /**
     * Queues {@code command} (which must be serializable); a failure is printed on standard error, as an
     * uncaught exception of a thread pool would be.
     */
    @Override
    public void execute(Runnable command) {
        submit(command).whenComplete((v, error) -> {
            if (error != null) {
                System.err.println("ipckit executor '" + engine.name() + "': a task run with execute() failed:");
                error.printStackTrace();
            }
        });
    }

    private <T> TaskFuture<T> submitTask(int shape, Object fn, Object original) {
        return submitTask(shape, fn, original, null);
    }

    private <T> TaskFuture<T> submitTask(int shape, Object fn, Object original, T fixedResult) {
        TaskFuture<T> future = new TaskFuture<>(engine, fixedResult);
        EncodedTask body = engine.encode(shape, fn, null);
        try {
            future.seq = engine.submit(body, future, false, shape == TaskBody.RUNNABLE ? original
                    : asRunnable((Callable<?>) original));
        } catch (IllegalStateException e) {
            throw new RejectedExecutionException("executor '" + engine.name() + "' is shut down: " + e.getMessage(), e);
        }
        return future;
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
            engine.encode(TaskBody.CALLABLE, Objects.requireNonNull(t, "task"), null);
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
