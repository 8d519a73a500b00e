package io.ipckit.pool;

import io.ipckit.pool.internal.caller.EncodedTask;
import io.ipckit.pool.internal.caller.Engine;
import io.ipckit.pool.internal.caller.ProgressMeter;
import io.ipckit.pool.internal.TaskShape;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code imap}/{@code imapUnordered}: a feeder, on one of the pool's reused feeder threads, reads the
 * input lazily, cuts it into chunks and submits them, never more than {@code lookahead} chunks submitted
 * and unfinished at a time; results are kept until the consumer takes them (in input order, or in
 * completion order when unordered).
 * With progress, a meter counts the items of each finished chunk and ends when the feeder is done and
 * every chunk it submitted has finished, or at {@link #close()}.
 */
final class ImapIterator<R> implements ResultIterator<R> {
    private static final long FEED_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long SPIN_NANOS = 0;

    private final Engine engine;
    private final int shape;
    private final Object fn;
    private final Iterator<?> input;
    private final int chunksize;
    private final boolean ordered;
    private final int lookahead;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<Integer, Outcome> byIndex = new ConcurrentHashMap<>();
    private final Queue<Outcome> byCompletion = new ConcurrentLinkedQueue<>();
    private volatile Thread feeder;
    private volatile boolean feederParked;
    private volatile Thread waiter;
    private volatile boolean wakePending;
    private final Runnable flush = this::flushWakeup;
    private volatile int chunks = -1;
    private volatile boolean closed;
    /** For the progress: the feeder (until it ends) plus the chunks submitted and not finished. */
    private final AtomicInteger open = new AtomicInteger(1);
    private volatile ProgressMeter meter = ProgressMeter.NONE;
    private int consumed;
    private Outcome current;
    private int pos;

    ImapIterator(Engine engine, int shape, Object fn, Iterator<?> input, int chunksize, boolean ordered) {
        this.engine = engine;
        this.shape = shape;
        this.fn = fn;
        this.input = input;
        this.chunksize = chunksize;
        this.ordered = ordered;
        this.lookahead = engine.config().lookahead();
    }

    /** Starts the feeder; {@code progress} starts once the pool has accepted the work. */
    void start(Progress progress, String verb, long total) {
        engine.lease();
        meter = progress.start(verb, total);
        engine.addBatchListener(flush);
        engine.runFeeder(this::feed);
    }

    private void feed() {
        feeder = Thread.currentThread();
        int index = 0;
        long items = 0;
        try {
            while (!closed) {
                if (!awaitRoom()) {
                    add(index++, new Object[0], new CancellationException("pool '" + engine.name()
                            + "' was terminated before the whole input was submitted"));
                    break;
                }
                if (closed) {
                    break;
                }
                Object[] chunkItems = nextChunk();
                int n = shape == TaskShape.BIFUNCTION ? chunkItems.length / 2 : chunkItems.length;
                if (n == 0) {
                    break;
                }
                items += n;
                int chunk = index++;
                inFlight.incrementAndGet();
                open.incrementAndGet();
                try {
                    engine.submit(engine.encode(shape, fn, chunkItems), (values, error) -> {
                        chunkDone();
                        progressed(n);
                        add(chunk, values, error);
                    }, true, null);
                } catch (RuntimeException e) {
                    inFlight.decrementAndGet();
                    progressed(n);
                    add(chunk, new Object[0], e);
                    break;
                }
            }
        } catch (RuntimeException | Error e) {
            add(index++, new Object[0], e);
        } finally {
            meter.total(items);
            progressed(0);
            engine.release();
            chunks = index;
            feeder = null;
            Thread.interrupted(); // a pooled thread: nothing of this feed may reach the next one
            LockSupport.unpark(waiter);
        }
    }

    /** {@code n} more items are done, and one holder of {@link #open} (a chunk, or the feeder) is through. */
    private void progressed(int n) {
        meter.advance(n);
        if (open.decrementAndGet() == 0) {
            meter.finish();
        }
    }

    /** Waits until fewer than lookahead chunks are in flight or this is closed; false when the pool was terminated. */
    private boolean awaitRoom() {
        while (inFlight.get() >= lookahead && !closed) {
            if (engine.isTerminating()) {
                return false;
            }
            feederParked = true;
            if (inFlight.get() >= lookahead) {
                LockSupport.parkNanos(this, FEED_PARK_NANOS);
            }
            feederParked = false;
        }
        return !engine.isTerminating();
    }

    /** On the result thread: a chunk finished; wake the feeder once half the window is free. */
    private void chunkDone() {
        int n = inFlight.decrementAndGet();
        if (feederParked && n <= lookahead / 2) {
            LockSupport.unpark(feeder);
        }
    }

    /** Up to chunksize items (two values per item for pairs); throws what the input throws. */
    private Object[] nextChunk() {
        int per = shape == TaskShape.BIFUNCTION ? 2 : 1;
        Object[] buf = new Object[chunksize * per];
        int n = 0;
        while (n < chunksize && input.hasNext()) {
            Object item = input.next();
            if (per == 2) {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) item;
                buf[2 * n] = e.getKey();
                buf[2 * n + 1] = e.getValue();
            } else {
                buf[n] = item;
            }
            n++;
        }
        return n == chunksize ? buf : java.util.Arrays.copyOf(buf, n * per);
    }

    /** Stores an outcome; the consumer is woken at the end of the result thread's burst. */
    private void add(int chunk, Object[] values, Throwable error) {
        Outcome o = new Outcome(values, error);
        if (ordered) {
            byIndex.put(chunk, o);
        } else {
            byCompletion.add(o);
        }
        if (Thread.currentThread() == feeder || !engine.onResultThread()) {
            LockSupport.unpark(waiter);
        } else {
            wakePending = true;
        }
    }

    /** On the result thread, after a burst of results. */
    private void flushWakeup() {
        if (wakePending) {
            wakePending = false;
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    @Override
    public boolean hasNext() {
        checkNotResultThread();
        try {
            return await(Long.MAX_VALUE, false) == HAS;
        } catch (InterruptedException e) {
            throw new IllegalStateException("unreachable: uninterruptible wait interrupted", e);
        }
    }

    @Override
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more results");
        }
        return take();
    }

    @Override
    public R next(Duration timeout) throws TimeoutException, InterruptedException {
        checkNotResultThread();
        int s = await(timeout.toNanos(), true);
        if (s == HAS) {
            return take();
        }
        if (s == END) {
            throw new NoSuchElementException("no more results");
        }
        throw new TimeoutException("no result within " + timeout.toMillis() + " ms");
    }

    private static final int WAIT = 0;
    private static final int HAS = 1;
    private static final int END = 2;

    /** Waits until advance() says HAS or END, or the timeout passes (WAIT). */
    private int await(long timeoutNanos, boolean interruptible) throws InterruptedException {
        int s = advance();
        if (s != WAIT) {
            return s;
        }
        long start = System.nanoTime();
        long deadline = timeoutNanos >= Long.MAX_VALUE - start ? Long.MAX_VALUE : start + timeoutNanos;
        while (System.nanoTime() - start < SPIN_NANOS && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
            s = advance();
            if (s != WAIT) {
                return s;
            }
        }
        boolean interrupted = false;
        waiter = Thread.currentThread();
        try {
            while (true) {
                s = advance();
                if (s != WAIT) {
                    return s;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return WAIT;
                }
                LockSupport.parkNanos(this, Math.min(left, FEED_PARK_NANOS));
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException("interrupted while waiting for an imap result");
                    }
                    interrupted = true;
                }
            }
        } finally {
            waiter = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(feeder);
        LockSupport.unpark(waiter); // a consumer blocked on another thread sees the end now, not at its next check
        engine.removeBatchListener(flush);
        meter.finish();
        byIndex.clear();
        byCompletion.clear();
    }

    /** Moves to the next available outcome. Consumer thread only. */
    private int advance() {
        while (true) {
            if (closed) {
                current = null;
                return END;
            }
            if (current != null) {
                if (pos < current.values.length || (current.error != null && !current.thrown)) {
                    return HAS;
                }
                current = null;
            }
            int total = chunks;
            Outcome o = ordered ? byIndex.remove(consumed) : byCompletion.poll();
            if (o != null) {
                consumed++;
                current = o;
                pos = 0;
                continue;
            }
            if (total >= 0 && consumed >= total) {
                engine.removeBatchListener(flush);
                return END;
            }
            return WAIT;
        }
    }

    /** Takes the current value or throws the current error; advance() said HAS. */
    @SuppressWarnings("unchecked")
    private R take() {
        if (pos < current.values.length) {
            return (R) current.values[pos++];
        }
        current.thrown = true;
        throw Pool.unchecked(current.error, "pool '" + engine.name() + "' imap");
    }

    private void checkNotResultThread() {
        if (engine.onResultThread()) {
            throw new IllegalStateException("iterating imap results on pool '" + engine.name()
                    + "''s result thread (in a callback) would wait forever; iterate on another thread");
        }
    }

    private static final class Outcome {
        final Object[] values;
        final Throwable error;
        boolean thrown;

        Outcome(Object[] values, Throwable error) {
            this.values = values;
            this.error = error;
        }
    }
}
