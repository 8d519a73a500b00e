package io.ipckit.core;

import java.io.Serializable;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * A condition variable hosted by a {@link Manager} (Python's {@code m.Condition(lock)}), bound to a
 * shared reentrant lock ({@link Manager#rlock}) named at creation. Every method needs that lock held by
 * the calling thread: {@code await} releases all its holds, waits for a signal, and takes them back
 * before it returns, as {@link java.util.concurrent.locks.ReentrantLock#newCondition()} conditions do.
 *
 * <pre>{@code
 * SharedLock lock = m.rlock("jobs-lock");
 * SharedCondition ready = m.condition("jobs-ready", "jobs-lock");
 * lock.lock();
 * try {
 *     while (jobs.isEmpty()) ready.await();
 * } finally {
 *     lock.unlock();
 * }
 * }</pre>
 *
 * <p>A waiter returns only when signalled or when its time passed (no spurious wake-ups), but test the
 * guarded state in a loop all the same. A waiter whose process dies is dropped; its lock holds are
 * released within about 200 ms.
 *
 * <p>Safe for any thread of any process; serializable. Every method throws {@link ManagerGoneException}
 * when the manager is gone, and {@link IllegalMonitorStateException} when the calling thread does not
 * hold the lock. Interruption of a waiter is noticed within about a quarter of a second; it throws with
 * the lock held again.
 */
public interface SharedCondition extends Condition, Serializable {

    /** The condition's name in its manager. */
    String name();

    /** The name of the reentrant lock this condition is bound to. */
    String lockName();

    /**
     * Releases the lock, waits until signalled, and takes the lock back.
     *
     * @throws InterruptedException when interrupted while waiting (the lock is held again then)
     * @throws IllegalMonitorStateException when the calling thread does not hold the lock
     */
    void await() throws InterruptedException;

    /** As {@link #await()}, but an interrupt is only remembered and re-asserted on return. */
    void awaitUninterruptibly();

    /**
     * Waits until signalled or {@code time} passed; the lock is held again on return.
     *
     * @return true when signalled, false when the time passed first
     * @throws InterruptedException when interrupted while waiting (the lock is held again then)
     * @throws IllegalMonitorStateException when the calling thread does not hold the lock
     */
    boolean await(long time, TimeUnit unit) throws InterruptedException;

    /**
     * As {@link #await(long, TimeUnit)}.
     *
     * @return an estimate of the nanoseconds left ({@code <= 0}: the time passed without a signal)
     */
    long awaitNanos(long nanosTimeout) throws InterruptedException;

    /** As {@link #await(long, TimeUnit)} with a wall-clock deadline; true when signalled. */
    boolean awaitUntil(Date deadline) throws InterruptedException;

    /**
     * Wakes the longest-waiting thread, if any; it returns once it gets the lock back. Never blocks.
     *
     * @throws IllegalMonitorStateException when the calling thread does not hold the lock
     */
    void signal();

    /**
     * Wakes every waiting thread. Never blocks.
     *
     * @throws IllegalMonitorStateException when the calling thread does not hold the lock
     */
    void signalAll();
}
