package io.ipckit.pool;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * The iterator of {@link ProcessPoolExecutor#map(io.ipckit.core.SerializableFunction, Iterable, Duration, int)}:
 * results in input order, each awaited until one deadline counted from the call, as Python's
 * {@code Executor.map(timeout=...)}. Past it, {@link #next()} throws a {@link CompletionException} whose
 * cause is a {@link TimeoutException} (an {@code Iterator} cannot throw a checked one), and the rest of
 * the input is not read (tasks already queued still run). One consuming thread.
 */
final class DeadlineIterator<T> implements ResultIterator<T> {
    private final ResultIterator<T> inner;
    private final long deadline;

    DeadlineIterator(ResultIterator<T> inner, long deadlineNanos) {
        this.inner = inner;
        this.deadline = deadlineNanos;
    }

    @Override
    public boolean hasNext() {
        return inner.hasNext();
    }

    /** @throws NoSuchElementException when there are no more results */
    @Override
    public T next() {
        try { // not hasNext() first: it would wait for the next result without the deadline
            return next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (TimeoutException e) {
            inner.close();
            throw new CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inner.close();
            throw new CompletionException(e);
        }
    }

    @Override
    public T next(Duration timeout) throws TimeoutException, InterruptedException {
        return inner.next(timeout);
    }

    @Override
    public void close() {
        inner.close();
    }
}
