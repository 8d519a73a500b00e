package io.ipckit.core.internal.local;

import io.ipckit.core.Manager;
import io.ipckit.core.SharedLock;

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
 * {@link SharedLock} on the local backend: a handle on an object of a {@link Manager} of this host, which
 * reaches it through the manager's space. Made by {@link LocalBackend}; the contract is {@link SharedLock}'s.
 */
public final class LocalLock implements Lock, Serializable, SharedLock {
    private static final long serialVersionUID = 1L;
    /** One server-side wait for the lock, of at most {@code millis}: a wait of {@link WaitSlices}. */
    private static final WaitSlices.Attempt<LocalLock> ACQUIRE = (lock, unused, millis) -> lock.acquire(millis);
    private final HandleRef ref;
    private final boolean reentrant;

    private LocalLock(HandleRef ref, boolean reentrant) {
        this.ref = ref;
        this.reentrant = reentrant;
    }

    public static LocalLock create(ManagerClient client, String name, boolean reentrant) {
        return new LocalLock(HandleRef.create(client, LockProtocol.CREATE, name, reentrant), reentrant);
    }

    @Override
    public String name() {
        return ref.name();
    }

    @Override
    public boolean isReentrant() {
        return reentrant;
    }

    private boolean acquire(long millis) {
        return (Boolean) ref.call(LockProtocol.ACQUIRE, WaitSlices.threadId(), millis);
    }

    @Override
    public void lock() {
        WaitSlices.uninterruptibly(ACQUIRE, this, 1);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        WaitSlices.interruptibly(ACQUIRE, this, 1, "lockInterruptibly", ref);
    }

    @Override
    public boolean tryLock() {
        return acquire(0);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return WaitSlices.timed(ACQUIRE, this, 1, System.nanoTime(), unit.toNanos(time), "tryLock", ref);
    }

    @Override
    public void unlock() {
        ref.call(LockProtocol.RELEASE, WaitSlices.threadId());
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return (Boolean) ref.call(LockProtocol.IS_HELD_BY, WaitSlices.threadId());
    }

    @Override
    public int getHoldCount() {
        return (Integer) ref.call(LockProtocol.HOLD_COUNT, WaitSlices.threadId());
    }

    @Override
    public boolean isLocked() {
        return (Boolean) ref.call(LockProtocol.IS_LOCKED);
    }

    @Override
    public int getQueueLength() {
        return (Integer) ref.call(LockProtocol.QUEUE_LENGTH);
    }

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
