package io.ipckit.pool;

import io.ipckit.pool.internal.caller.Engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The pending result of {@link Pool#applyAsync}, {@link Pool#mapAsync} or {@link Pool#starmapAsync}:
 * Python's {@code AsyncResult} ({@code get}, {@code ready}, {@code successful}, {@code wait}), a
 * {@link Future} and a {@link CompletionStage}.
 *
 * <p>It completes on the pool's result thread, after the callbacks given to the submitting call ran;
 * dependent stages added without an executor run there too when they are added before completion, so
 * they must not block. A task's exception is the cause of the {@link ExecutionException} thrown by
 * {@code get}, with the stack trace it had in the worker; a worker that died gives a
 * {@link WorkerCrashedException}, a task past the pool's task timeout a {@link TimeoutException}, a
 * terminated pool a {@link java.util.concurrent.CancellationException}. Every method may be called from
 * any thread; none of them can be used to complete it from outside.
 *
 * @param <T> the type of the result
 */
public final class AsyncResult<T> implements Future<T>, CompletionStage<T> {
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final Engine engine;
    private volatile java.util.function.Consumer<Boolean> canceller;
    /** The number of the task whose result this is (one task), or -1. */
    private volatile long seq = -1;

    AsyncResult(Engine engine) {
        this.engine = engine;
    }

    void canceller(java.util.function.Consumer<Boolean> r) {
        this.canceller = r;
    }

    void seq(long seq) {
        this.seq = seq;
    }

    long seq() {
        return seq;
    }

    void succeed(T value) {
        future.complete(value);
    }

    void fail(Throwable error) {
        future.completeExceptionally(error);
    }

    /**
     * Waits for the result. Blocks.
     *
     * @throws ExecutionException when the task failed; its cause is the task's exception (remote stack
     *     trace kept), a {@link WorkerCrashedException} or a {@link TimeoutException}
     * @throws java.util.concurrent.CancellationException when cancelled or the pool was terminated first
     * @throws InterruptedException when interrupted while waiting
     * @throws IllegalStateException when called, unfinished, from a callback on the pool's result thread
     *     (it would wait for itself)
     */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        checkNotResultThread();
        return future.get();
    }

    /**
     * Waits at most {@code timeout} for the result (the task goes on running when it passes).
     *
     * @throws TimeoutException when the result is not there in time
     * @throws ExecutionException when the task failed (see {@link #get()})
     */
    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        checkNotResultThread();
        return future.get(timeout, unit);
    }

    /** As {@link #get(long, TimeUnit)}. */
    public T get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether the result is there (success, failure or cancellation); Python's {@code ready()}. Never blocks. */
    public boolean ready() {
        return future.isDone();
    }

    /**
     * Whether the task completed without an exception; Python's {@code successful()}. Never blocks.
     *
     * @throws IllegalStateException when it is not {@link #ready()} yet
     */
    public boolean successful() {
        if (!future.isDone()) {
            throw new IllegalStateException("the result is not ready yet; call successful() after ready()"
                    + " is true, or after waitFor()");
        }
        return !future.isCompletedExceptionally();
    }

    /** Waits until the result is ready; Python's {@code wait()}. */
    public void waitFor() throws InterruptedException {
        checkNotResultThread();
        try {
            future.get();
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            // ready
        }
    }

    /**
     * Waits at most {@code timeout} until the result is ready; Python's {@code wait(timeout)}.
     *
     * @return whether it is ready
     */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        checkNotResultThread();
        try {
            future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            // ready
        } catch (TimeoutException e) {
            return false;
        }
        return true;
    }

    /**
     * Cancels the task(s) unless completed: a task not started yet never runs. A running one goes on
     * in its worker and its result is dropped, unless {@code mayInterruptIfRunning}: then its worker
     * is killed and replaced (a JVM's task cannot be interrupted from outside). Any thread; does not block.
     *
     * @return whether this call cancelled it
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean c = future.cancel(mayInterruptIfRunning);
        java.util.function.Consumer<Boolean> r = canceller;
        if (c && r != null) {
            r.accept(mayInterruptIfRunning);
        }
        return c;
    }

    @Override
    public boolean isCancelled() {
        return future.isCancelled();
    }

    @Override
    public boolean isDone() {
        return future.isDone();
    }

    /** A new CompletableFuture completed when this is, with the same outcome (completing it does not affect this). */
    @Override
    public CompletableFuture<T> toCompletableFuture() {
        return future.copy();
    }

    @Override
    public String toString() {
        return "AsyncResult[" + (future.isDone() ? (successful() ? "successful" : "failed") : "pending") + "]";
    }

    private void checkNotResultThread() {
        if (!future.isDone() && engine != null && engine.onResultThread()) {
            throw new IllegalStateException("waiting for a result on pool '" + engine.name() + "''s result thread"
                    + " (in a callback or dependent stage) would wait forever: results are delivered by that thread;"
                    + " use a callback or a dependent stage instead");
        }
    }

    // ------------------------------------------------------------------ CompletionStage

    @Override
    public <U> CompletionStage<U> thenApply(Function<? super T, ? extends U> fn) {
        return future.thenApply(fn);
    }

    @Override
    public <U> CompletionStage<U> thenApplyAsync(Function<? super T, ? extends U> fn) {
        return future.thenApplyAsync(fn);
    }

    @Override
    public <U> CompletionStage<U> thenApplyAsync(Function<? super T, ? extends U> fn, Executor executor) {
        return future.thenApplyAsync(fn, executor);
    }

    @Override
    public CompletionStage<Void> thenAccept(Consumer<? super T> action) {
        return future.thenAccept(action);
    }

    @Override
    public CompletionStage<Void> thenAcceptAsync(Consumer<? super T> action) {
        return future.thenAcceptAsync(action);
    }

    @Override
    public CompletionStage<Void> thenAcceptAsync(Consumer<? super T> action, Executor executor) {
        return future.thenAcceptAsync(action, executor);
    }

    @Override
    public CompletionStage<Void> thenRun(Runnable action) {
        return future.thenRun(action);
    }

    @Override
    public CompletionStage<Void> thenRunAsync(Runnable action) {
        return future.thenRunAsync(action);
    }

    @Override
    public CompletionStage<Void> thenRunAsync(Runnable action, Executor executor) {
        return future.thenRunAsync(action, executor);
    }

    @Override
    public <U, V> CompletionStage<V> thenCombine(CompletionStage<? extends U> other,
                                                 BiFunction<? super T, ? super U, ? extends V> fn) {
        return future.thenCombine(other, fn);
    }

    @Override
    public <U, V> CompletionStage<V> thenCombineAsync(CompletionStage<? extends U> other,
                                                      BiFunction<? super T, ? super U, ? extends V> fn) {
        return future.thenCombineAsync(other, fn);
    }

    @Override
    public <U, V> CompletionStage<V> thenCombineAsync(CompletionStage<? extends U> other,
                                                      BiFunction<? super T, ? super U, ? extends V> fn,
                                                      Executor executor) {
        return future.thenCombineAsync(other, fn, executor);
    }

    @Override
    public <U> CompletionStage<Void> thenAcceptBoth(CompletionStage<? extends U> other,
                                                    BiConsumer<? super T, ? super U> action) {
        return future.thenAcceptBoth(other, action);
    }

    @Override
    public <U> CompletionStage<Void> thenAcceptBothAsync(CompletionStage<? extends U> other,
                                                         BiConsumer<? super T, ? super U> action) {
        return future.thenAcceptBothAsync(other, action);
    }

    @Override
    public <U> CompletionStage<Void> thenAcceptBothAsync(CompletionStage<? extends U> other,
                                                         BiConsumer<? super T, ? super U> action, Executor executor) {
        return future.thenAcceptBothAsync(other, action, executor);
    }

    @Override
    public CompletionStage<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
        return future.runAfterBoth(other, action);
    }

    @Override
    public CompletionStage<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action) {
        return future.runAfterBothAsync(other, action);
    }

    @Override
    public CompletionStage<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action, Executor executor) {
        return future.runAfterBothAsync(other, action, executor);
    }

    @Override
    public <U> CompletionStage<U> applyToEither(CompletionStage<? extends T> other, Function<? super T, U> fn) {
        return future.applyToEither(other, fn);
    }

    @Override
    public <U> CompletionStage<U> applyToEitherAsync(CompletionStage<? extends T> other, Function<? super T, U> fn) {
        return future.applyToEitherAsync(other, fn);
    }

    @Override
    public <U> CompletionStage<U> applyToEitherAsync(CompletionStage<? extends T> other, Function<? super T, U> fn,
                                                     Executor executor) {
        return future.applyToEitherAsync(other, fn, executor);
    }

    @Override
    public CompletionStage<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
        return future.acceptEither(other, action);
    }

    @Override
    public CompletionStage<Void> acceptEitherAsync(CompletionStage<? extends T> other, Consumer<? super T> action) {
        return future.acceptEitherAsync(other, action);
    }

    @Override
    public CompletionStage<Void> acceptEitherAsync(CompletionStage<? extends T> other, Consumer<? super T> action,
                                                   Executor executor) {
        return future.acceptEitherAsync(other, action, executor);
    }

    @Override
    public CompletionStage<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
        return future.runAfterEither(other, action);
    }

    @Override
    public CompletionStage<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action) {
        return future.runAfterEitherAsync(other, action);
    }

    @Override
    public CompletionStage<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action, Executor executor) {
        return future.runAfterEitherAsync(other, action, executor);
    }

    @Override
    public <U> CompletionStage<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
        return future.thenCompose(fn);
    }

    @Override
    public <U> CompletionStage<U> thenComposeAsync(Function<? super T, ? extends CompletionStage<U>> fn) {
        return future.thenComposeAsync(fn);
    }

    @Override
    public <U> CompletionStage<U> thenComposeAsync(Function<? super T, ? extends CompletionStage<U>> fn,
                                                   Executor executor) {
        return future.thenComposeAsync(fn, executor);
    }

    @Override
    public <U> CompletionStage<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
        return future.handle(fn);
    }

    @Override
    public <U> CompletionStage<U> handleAsync(BiFunction<? super T, Throwable, ? extends U> fn) {
        return future.handleAsync(fn);
    }

    @Override
    public <U> CompletionStage<U> handleAsync(BiFunction<? super T, Throwable, ? extends U> fn, Executor executor) {
        return future.handleAsync(fn, executor);
    }

    @Override
    public CompletionStage<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        return future.whenComplete(action);
    }

    @Override
    public CompletionStage<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action) {
        return future.whenCompleteAsync(action);
    }

    @Override
    public CompletionStage<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action, Executor executor) {
        return future.whenCompleteAsync(action, executor);
    }

    @Override
    public CompletionStage<T> exceptionally(Function<Throwable, ? extends T> fn) {
        return future.exceptionally(fn);
    }
}
