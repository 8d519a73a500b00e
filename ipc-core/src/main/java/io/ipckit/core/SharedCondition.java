package io.ipckit.core;

import io.ipckit.core.internal.Names;
import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.client.WaitSlices;
import io.ipckit.core.internal.manager.protocol.ConditionProtocol;

import java.io.Serializable;
import java.util.Date;
import java.util.Objects;
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
public final class SharedCondition implements Condition, Serializable {
    private static final long serialVersionUID = 1L;
    /** One server-side wait of at most a slice, a wait of {@link WaitSlices}; answers once the lock is held again. */
    private static final WaitSlices.Attempt<SharedCondition> AWAIT = (c, unused, millis) -> c.awaitSlice(millis);
    private final HandleRef ref;
    private final String lockName;

    private SharedCondition(HandleRef ref, String lockName) {
        this.ref = ref;
        this.lockName = lockName;
    }

    static SharedCondition create(ManagerClient client, String name, String lockName) {
        Names.validate("lock", lockName); // the name of a reentrant lock made by manager.rlock(name)
        return new SharedCondition(HandleRef.create(client, ConditionProtocol.CREATE, name, lockName), lockName);
    }

    /** The condition's name in its manager. */
    public String name() {
        return ref.name();
    }

    /** The name of the reentrant lock this condition is bound to. */
    public String lockName() {
        return lockName;
    }

    private boolean awaitSlice(long millis) {
        return (Boolean) ref.call(ConditionProtocol.AWAIT, WaitSlices.threadId(), millis);
    }

    /**
     * Releases the lock, waits until signalled, and takes the lock back.
     *
     * @throws InterruptedException when interrupted while waiting (the lock is held again then)
     * @throws IllegalMonitorStateException when the calling thread does not hold the lock
     */
    @Override
    public void await() throws InterruptedException {
        WaitSlices.interruptibly(AWAIT, this, 1, "await", ref);
    }

    /** As {@link #await()}, but an interrupt is only remembered and re-asserted on return. */
    @Override
    public void awaitUninterruptibly() {
        WaitSlices.uninterruptibly(AWAIT, this, 1);
    }

    /**
     * Waits until signalled or {@code time} passed; the lock is held again on return.
     *
     * @return true when signalled, false when the time passed first
     * @throws InterruptedException when interrupted while waiting (the lock is held again then)
     * @throws IllegalMonitorStateException when the calling thread does not hold the lock
     */
    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return awaitFor(System.nanoTime(), unit.toNanos(time));
    }

    /**
     * As {@link #await(long, TimeUnit)}.
     *
     * @return an estimate of the nanoseconds left ({@code <= 0}: the time passed without a signal)
     */
    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long start = System.nanoTime();
        boolean signalled = awaitFor(start, nanosTimeout);
        long left = nanosTimeout - (System.nanoTime() - start);
        return signalled ? Math.max(1, left) : Math.min(0, left);
    }

    /** As {@link #await(long, TimeUnit)} with a wall-clock deadline; true when signalled. */
    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        long millis = deadline.getTime() - System.currentTimeMillis();
        return awaitFor(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private boolean awaitFor(long start, long total) throws InterruptedException {
        return WaitSlices.timed(AWAIT, this, 1, start, total, "await", ref);
    }

    /**
     * Wakes the longest-waiting thread, if any; it returns once it gets the lock back. Never blocks.
     *
     * @throws IllegalMonitorStateException when the calling thread does not hold the lock
     */
    @Override
    public void signal() {
        ref.call(ConditionProtocol.SIGNAL, WaitSlices.threadId());
    }

    /**
     * Wakes every waiting thread. Never blocks.
     *
     * @throws IllegalMonitorStateException when the calling thread does not hold the lock
     */
    @Override
    public void signalAll() {
        ref.call(ConditionProtocol.SIGNAL_ALL, WaitSlices.threadId());
    }

    @Override
    public String toString() {
        return "SharedCondition[" + name() + ", lock " + lockName + "]";
    }
}
