package io.ipckit.core;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A lock hosted by a {@link Manager}: plain ({@link Manager#lock}, Python's {@code m.Lock()}) or
 * reentrant ({@link Manager#rlock}, Python's {@code m.RLock()}, like {@link java.util.concurrent.locks.ReentrantLock}).
 *
 * <p>The owner of a hold is the calling thread of the calling process: only it may {@link #unlock()}. A
 * reentrant lock counts the holds of its owner; a plain lock locked again by its owner waits like any
 * other thread (a deadlock without a timeout, as with Python's {@code Lock}). Waiters are served in
 * arrival order.
 *
 * <p>When the process of the holder dies (even {@code kill -9}) or disconnects, the manager releases its
 * holds within about 200 ms ({@code ManagerServer.LIVENESS_MILLIS}) plus a few milliseconds, and grants the
 * lock to the next waiter.
 *
 * <p>Safe for any thread of any process; serializable (pass it to another JVM and lock it there). Every
 * method throws {@link ManagerGoneException} when the manager is gone; a blocked wait notices it within
 * about a hundred milliseconds.
 */
public interface SharedLock extends Lock, Serializable {

    /** The lock's name in its manager. */
    String name();

    /** Whether this is a reentrant lock (made by {@link Manager#rlock}). */
    boolean isReentrant();

    /**
     * Blocks until the calling thread holds the lock. Not interruptible: an interrupt is remembered and
     * re-asserted on return.
     *
     * @throws ManagerGoneException when the manager dies or is gone (the lock is not held then)
     */
    void lock();

    /**
     * Blocks until the calling thread holds the lock or is interrupted (noticed within about a quarter
     * of a second).
     *
     * @throws InterruptedException when interrupted before the lock was granted (it is not held then)
     * @throws ManagerGoneException when the manager dies or is gone
     */
    void lockInterruptibly() throws InterruptedException;

    /** Takes the lock when it is free (or, reentrant, held by the caller); never blocks on it. */
    boolean tryLock();

    /**
     * Waits up to {@code time} for the lock.
     *
     * @return true when granted, false when the time passed first
     * @throws InterruptedException when interrupted before the lock was granted
     * @throws ManagerGoneException when the manager dies or is gone
     */
    boolean tryLock(long time, TimeUnit unit) throws InterruptedException;

    /**
     * Releases one hold of the calling thread; the lock is free when it has none left. Never blocks on
     * the lock.
     *
     * @throws IllegalMonitorStateException when the calling thread of this process does not hold it
     */
    void unlock();

    /** Whether the calling thread of this process holds the lock. */
    boolean isHeldByCurrentThread();

    /** The number of holds of the calling thread (0 when it does not hold the lock). */
    int getHoldCount();

    /** Whether any thread of any process holds the lock (a snapshot). */
    boolean isLocked();

    /** How many threads of all processes wait for the lock now (a snapshot). */
    int getQueueLength();

    /**
     * Not supported: a shared condition has a name of its own so other processes can find it.
     *
     * @throws UnsupportedOperationException always; use {@link Manager#condition(String, String)} with
     *                                       this lock's name (a reentrant lock)
     */
    Condition newCondition();
}
