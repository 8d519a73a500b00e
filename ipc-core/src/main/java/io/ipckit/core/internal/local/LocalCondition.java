package io.ipckit.core.internal.local;

import io.ipckit.core.Manager;
import io.ipckit.core.SharedCondition;

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
 * {@link SharedCondition} on the local backend: a handle on an object of a {@link Manager} of this host, which
 * reaches it through the manager's space. Made by {@link LocalBackend}; the contract is {@link SharedCondition}'s.
 */
public final class LocalCondition implements Condition, Serializable, SharedCondition {
    private static final long serialVersionUID = 1L;
    /** One server-side wait of at most a slice, a wait of {@link WaitSlices}; answers once the lock is held again. */
    private static final WaitSlices.Attempt<LocalCondition> AWAIT = (c, unused, millis) -> c.awaitSlice(millis);
    private final HandleRef ref;
    private final String lockName;

    private LocalCondition(HandleRef ref, String lockName) {
        this.ref = ref;
        this.lockName = lockName;
    }

    public static LocalCondition create(ManagerClient client, String name, String lockName) {
        Names.validate("lock", lockName); // the name of a reentrant lock made by manager.rlock(name)
        return new LocalCondition(HandleRef.create(client, ConditionProtocol.CREATE, name, lockName), lockName);
    }

    @Override
    public String name() {
        return ref.name();
    }

    @Override
    public String lockName() {
        return lockName;
    }

    private boolean awaitSlice(long millis) {
        return (Boolean) ref.call(ConditionProtocol.AWAIT, WaitSlices.threadId(), millis);
    }

    @Override
    public void await() throws InterruptedException {
        WaitSlices.interruptibly(AWAIT, this, 1, "await", ref);
    }

    @Override
    public void awaitUninterruptibly() {
        WaitSlices.uninterruptibly(AWAIT, this, 1);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return awaitFor(System.nanoTime(), unit.toNanos(time));
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long start = System.nanoTime();
        boolean signalled = awaitFor(start, nanosTimeout);
        long left = nanosTimeout - (System.nanoTime() - start);
        return signalled ? Math.max(1, left) : Math.min(0, left);
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        long millis = deadline.getTime() - System.currentTimeMillis();
        return awaitFor(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private boolean awaitFor(long start, long total) throws InterruptedException {
        return WaitSlices.timed(AWAIT, this, 1, start, total, "await", ref);
    }

    @Override
    public void signal() {
        ref.call(ConditionProtocol.SIGNAL, WaitSlices.threadId());
    }

    @Override
    public void signalAll() {
        ref.call(ConditionProtocol.SIGNAL_ALL, WaitSlices.threadId());
    }

    @Override
    public String toString() {
        return "SharedCondition[" + name() + ", lock " + lockName + "]";
    }
}
