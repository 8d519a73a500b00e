package io.ipckit.pool;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;

/**
 * The results of {@link Pool#imap} or {@link Pool#imapUnordered}, available while the rest of the work
 * goes on. {@link #hasNext()} and {@link #next()} block until the next result (or the end) is known.
 * A failed item throws its task's exception from {@code next()} (unchecked exceptions as they are, with
 * the worker's stack trace and this call site attached as a suppressed exception; checked ones wrapped
 * in a {@link java.util.concurrent.CompletionException}); iteration then goes on with the next item,
 * as in Python. Meant for one consuming thread; never call it from a pool callback. Close it (or use
 * try-with-resources) to stop early.
 *
 * @param <T> the type of the results
 */
public interface ResultIterator<T> extends Iterator<T>, AutoCloseable {
    /**
     * Waits at most {@code timeout} for the next result; Python's {@code next(timeout)}.
     *
     * @throws TimeoutException when it is not there in time (call again to go on waiting)
     * @throws NoSuchElementException when there are no more results
     * @throws InterruptedException when interrupted while waiting
     */
    T next(Duration timeout) throws TimeoutException, InterruptedException;

    /**
     * Stops reading the input and ends the call's {@link Progress}; results not taken yet are dropped
     * (tasks already queued still run) and {@link #hasNext()} is false from then on. Without it, an
     * iterator left unfinished reads its input to the end and its tasks run to completion. Idempotent;
     * any thread; does not block.
     */
    @Override
    void close();
}
