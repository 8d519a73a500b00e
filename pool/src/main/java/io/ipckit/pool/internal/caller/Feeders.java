package io.ipckit.pool.internal.caller;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that read the input of a pool's {@code imap} calls, kept for reuse: a new thread costs
 * a few hundred microseconds on a small virtual machine, and its first encode builds a new Kryo
 * instance (its codec state lives with the thread), which made every small {@code imap} call cost
 * milliseconds. Idle threads end after {@value #KEEP_ALIVE_SECONDS} s, all of them when the pool ends.
 * Public for the other engines (an {@link Engine}'s {@code runFeeder}); any thread.
 */
public final class Feeders implements AutoCloseable {
    static final long KEEP_ALIVE_SECONDS = 10;
    private final String poolName;
    private final AtomicInteger count = new AtomicInteger();
    private final ThreadPoolExecutor threads;

    /** Feeder threads named {@code ipckit-pool-feeder-<poolName>-<n>}; none started yet. */
    public Feeders(String poolName) {
        this.poolName = poolName;
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), this::newThread);
    }

    private Thread newThread(Runnable r) {
        Thread t = new Thread(r, "ipckit-pool-feeder-" + poolName + "-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    /**
     * Runs {@code feed} on an idle feeder thread, or a new one. Any thread; does not block. After
     * {@link #close()} it still runs, on a thread of its own: a feeder started as the pool ends must see
     * the end itself and report it to its consumer.
     */
    public void run(Runnable feed) {
        try {
            threads.execute(feed);
        } catch (RejectedExecutionException closed) {
            newThread(feed).start();
        }
    }

    /** Ends the idle threads now and the busy ones when their feed returns. Any thread; does not wait. */
    @Override
    public void close() {
        threads.shutdown();
    }
}
