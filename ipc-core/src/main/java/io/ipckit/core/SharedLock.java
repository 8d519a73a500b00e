package io.ipckit.core;

import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.client.WaitSlices;
import io.ipckit.core.internal.manager.protocol.LockProtocol;

import java.io.Serializable;
import java.util.Objects;
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
public final class SharedLock implements Lock, Serializable {
    private static final long serialVersionUID = 1L;
    /** One server-side wait for the lock, of at most {@code millis}: a wait of {@link WaitSlices}. */
    private static final WaitSlices.Attempt<SharedLock> ACQUIRE = (lock, unused, millis) -> lock.acquire(millis);
    private final HandleRef ref;
    private final boolean reentrant;

    private SharedLock(HandleRef ref, boolean reentrant) {
        this.ref = ref;
        this.reentrant = reentrant;
    }

    static SharedLock create(ManagerClient client, String name, boolean reentrant) {
        return new SharedLock(HandleRef.create(client, LockProtocol.CREATE, name, reentrant), reentrant);
    }

    /** The lock's name in its manager. */
    public String name() {
        return ref.name();
    }

    /** Whether this is a reentrant lock (made by {@link Manager#rlock}). */
    public boolean isReentrant() {
        return reentrant;
    }

    private boolean acquire(long millis) {
        return (Boolean) ref.call(LockProtocol.ACQUIRE, WaitSlices.threadId(), millis);
    }

    /**
     * Blocks until the calling thread holds the lock. Not interruptible: an interrupt is remembered and
     * re-asserted on return.
     *
     * @throws ManagerGoneException when the manager dies or is gone (the lock is not held then)
     */
    @Override
    public void lock() {
        WaitSlices.uninterruptibly(ACQUIRE, this, 1);
    }

    /**
     * Blocks until the calling thread holds the lock or is interrupted (noticed within about a quarter
     * of a second).
     *
     * @throws InterruptedException when interrupted before the lock was granted (it is not held then)
     * @throws ManagerGoneException when the manager dies or is gone
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        WaitSlices.interruptibly(ACQUIRE, this, 1, "lockInterruptibly", ref);
    }

    /** Takes the lock when it is free (or, reentrant, held by the caller); never blocks on it. */
    @Override
    public boolean tryLock() {
        return acquire(0);
    }

    /**
     * Waits up to {@code time} for the lock.
     *
     * @return true when granted, false when the time passed first
     * @throws InterruptedException when interrupted before the lock was granted
     * @throws ManagerGoneException when the manager dies or is gone
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return WaitSlices.timed(ACQUIRE, this, 1, System.nanoTime(), unit.toNanos(time), "tryLock", ref);
    }

    /**
     * Releases one hold of the calling thread; the lock is free when it has none left. Never blocks on
     * the lock.
     *
     * @throws IllegalMonitorStateException when the calling thread of this process does not hold it
     */
    @Override
    public void unlock() {
        ref.call(LockProtocol.RELEASE, WaitSlices.threadId());
    }

    /** Whether the calling thread of this process holds the lock. */
    public boolean isHeldByCurrentThread() {
        return (Boolean) ref.call(LockProtocol.IS_HELD_BY, WaitSlices.threadId());
    }

    /** The number of holds of the calling thread (0 when it does not hold the lock). */
    public int getHoldCount() {
        return (Integer) ref.call(LockProtocol.HOLD_COUNT, WaitSlices.threadId());
    }

    /** Whether any thread of any process holds the lock (a snapshot). */
    public boolean isLocked() {
        return (Boolean) ref.call(LockProtocol.IS_LOCKED);
    }

    /** How many threads of all processes wait for the lock now (a snapshot). */
    public int getQueueLength() {
        return (Integer) ref.call(LockProtocol.QUEUE_LENGTH);
    }

    /**
     * Not supported: a shared condition has a name of its own so other processes can find it.
     *
     * @throws UnsupportedOperationException always; use {@link Manager#condition(String, String)} with
     *                                       this lock's name (a reentrant lock)
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("lock '" + name() + "': a shared condition needs a name; use "
                + "manager.condition(\"<condition name>\", \"" + name() + "\") with a lock made by manager.rlock");
    }

    @Override
    public String toString() {
        return "SharedLock[" + name() + (reentrant ? ", reentrant" : "") + "]";
    }
}
