package io.ipckit.pool;

import io.ipckit.pool.internal.Engine;
import io.ipckit.pool.internal.TaskBody;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code imap}/{@code imapUnordered}: a feeder thread reads the input lazily, cuts it into chunks and
 * submits them, never more than {@code lookahead} chunks submitted and unfinished at a time; results
 * are kept until the consumer takes them (in input order, or in completion order when unordered).
 */
final class ImapIterator<R> implements ResultIterator<R> {
    private static final long FEED_WAIT_MILLIS = 50;

    private final Engine engine;
    private final int shape;
    private final Object fn;
    private final Iterator<?> input;
    private final int chunksize;
    private final boolean ordered;
    private final Semaphore window;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Integer, Outcome> byIndex = new HashMap<>();
    private final ArrayDeque<Outcome> byCompletion = new ArrayDeque<>();
    private int chunks;
    private boolean inputDone;
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
        this.window = new Semaphore(engine.config().lookahead());
    }

    void start() {
        engine.lease();
        Thread feeder = new Thread(this::feed, "ipckit-pool-feeder-" + engine.name());
        feeder.setDaemon(true);
        feeder.start();
    }

    private void feed() {
        int index = 0;
        try {
            while (true) {
                if (!acquire()) {
                    add(index++, new Object[0], new CancellationException("pool '" + engine.name()
                            + "' was terminated before the whole input was submitted"));
                    break;
                }
                Object[] items = nextChunk();
                if (items.length == 0) {
                    window.release();
                    break;
                }
                int chunk = index++;
                try {
                    engine.submit(engine.encode(shape, fn, items), (values, error) -> {
                        window.release();
                        add(chunk, values, error);
                    }, true, null);
                } catch (RuntimeException e) {
                    window.release();
                    add(chunk, new Object[0], e);
                    break;
                }
            }
        } catch (RuntimeException | Error e) {
            add(index++, new Object[0], e);
        } finally {
            engine.release();
            lock.lock();
            try {
                chunks = index;
                inputDone = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean acquire() {
        try {
            while (!window.tryAcquire(FEED_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                if (engine.isTerminating()) {
                    return false;
                }
            }
            return !engine.isTerminating() || releaseAndFail();
        } catch (InterruptedException e) {
            return false;
        }
    }

    private boolean releaseAndFail() {
        window.release();
        return false;
    }

    /** Up to chunksize items (two values per item for pairs); throws what the input throws. */
    private Object[] nextChunk() {
        int per = shape == TaskBody.BIFUNCTION ? 2 : 1;
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

    private void add(int chunk, Object[] values, Throwable error) {
        lock.lock();
        try {
            Outcome o = new Outcome(values, error);
            if (ordered) {
                byIndex.put(chunk, o);
            } else {
                byCompletion.add(o);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean hasNext() {
        checkNotResultThread();
        lock.lock();
        try {
            while (true) {
                int s = advance();
                if (s != WAIT) {
                    return s == HAS;
                }
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more results");
        }
        lock.lock();
        try {
            return take();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public R next(Duration timeout) throws TimeoutException, InterruptedException {
        checkNotResultThread();
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                int s = advance();
                if (s == HAS) {
                    return take();
                }
                if (s == END) {
                    throw new NoSuchElementException("no more results");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no result within " + timeout.toMillis() + " ms");
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    private static final int WAIT = 0;
    private static final int HAS = 1;
    private static final int END = 2;

    /** Moves to the next available outcome; lock held. */
    private int advance() {
        while (true) {
            if (current != null) {
                if (pos < current.values.length || (current.error != null && !current.thrown)) {
                    return HAS;
                }
                current = null;
            }
            Outcome o = ordered ? byIndex.remove(consumed) : byCompletion.poll();
            if (o != null) {
                consumed++;
                current = o;
                pos = 0;
                continue;
            }
            if (inputDone && consumed >= chunks) {
                return END;
            }
            return WAIT;
        }
    }

    /** Takes the current value or throws the current error; lock held, advance() said HAS. */
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
