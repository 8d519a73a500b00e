package io.ipckit.pool.internal.caller;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * What other threads hand the pool's result thread: events to run there, listeners to run after each
 * burst of results, and wake-ups.
 *
 * <p>The wake-up of a submit: before a park the result thread (its {@link InboxIdleStrategy}) says so
 * ({@link #parking()}), then looks at the count of announced tasks once more; a submit counts its task
 * ({@link #taskSubmitted()}), then reads the flag. Either the submit sees the flag and unparks the thread,
 * or the thread sees the new count and does not park: the result of a task sent to an idle pool does not
 * wait out the park. A synchronous {@code apply}, whose caller reads its own result, announces nothing
 * (waking the thread would only take a core from the caller and the worker), unless its caller stops
 * reading before the result came: then it announces it as any submit does.
 *
 * <p>Thread role: shared. {@link #post}, {@link #wake}, {@link #taskSubmitted} and the listener
 * registrations are for any thread and never block; the rest is the result thread's.
 */
final class Inbox {
    private final Thread resultThread;
    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final Set<Runnable> batchListeners = ConcurrentHashMap.newKeySet();
    /** The result thread is parking: a submit unparks it. */
    private volatile boolean parked;
    /** Tasks announced to the result thread ({@link #taskSubmitted()}). */
    private final java.util.concurrent.atomic.AtomicLong announced = new java.util.concurrent.atomic.AtomicLong();

    Inbox(Thread resultThread) {
        this.resultThread = resultThread;
    }

    /** Queues {@code event} to run on the result thread and wakes it. Any thread. */
    void post(Runnable event) {
        events.add(event);
        LockSupport.unpark(resultThread);
    }

    /** Wakes the result thread. Any thread. */
    void wake() {
        LockSupport.unpark(resultThread);
    }

    /** A task for the result thread: counts it, and wakes the thread if it parks. Any thread. */
    void taskSubmitted() {
        announced.incrementAndGet();
        if (parked) {
            parked = false;
            LockSupport.unpark(resultThread);
        }
    }

    /** Tasks announced so far: moves on every {@link #taskSubmitted()}. Any thread. */
    long announced() {
        return announced.get();
    }

    /** Any thread. */
    void addBatchListener(Runnable r) {
        batchListeners.add(r);
    }

    /** Any thread. */
    void removeBatchListener(Runnable r) {
        batchListeners.remove(r);
    }

    /** Whether the calling thread is the result thread. */
    boolean onResultThread() {
        return Thread.currentThread() == resultThread;
    }

    // ---------------------------------------------------------------- result thread only

    void runEvents() {
        Runnable r;
        while ((r = events.poll()) != null) {
            r.run();
        }
    }

    boolean hasEvents() {
        return !events.isEmpty();
    }

    void runBatchListeners() {
        for (Runnable r : batchListeners) {
            r.run();
        }
    }

    /** The result thread is about to park: submits from now on unpark it. */
    void parking() {
        parked = true;
    }

    /** The park is over. @return whether a submit unparked the thread meanwhile */
    boolean parked() {
        boolean unparked = !parked;
        parked = false;
        return unparked;
    }
}
