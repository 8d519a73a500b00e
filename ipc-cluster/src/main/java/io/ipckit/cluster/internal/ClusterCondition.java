package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.SharedCondition;
import io.ipckit.core.internal.codec.ByReference;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.util.Date;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A condition of a {@link ClusterLock} (Python's {@code m.Condition(lock)} on several hosts): waiters hold
 * tickets in one IMap entry ({@link ConditionState}) in arrival order; {@code await} takes a ticket, releases
 * every hold of the lock, waits until its ticket is signalled (looking every 10 ms at first, then every
 * {@value #MAX_PAUSE_MILLIS} ms at most), and takes the lock back with as many holds. {@code signal} wakes
 * the longest waiter, {@code signalAll} every one; a waiter whose process died is dropped by a node after its
 * client timeout, so no signal is spent on it. Any thread of any process with the cluster address.
 */
public final class ClusterCondition implements SharedCondition, ByReference {
    private static final long serialVersionUID = 1L;
    static final String CONDITIONS = "ipckit.conditions";
    static final long MAX_PAUSE_MILLIS = 100;
    /** The address it was got from, for its {@link #reference()}. */
    private volatile ClusterAddress origin;
    private final String name;
    private final ClusterLock lock;
    private final IMap<String, ConditionState> conditions;
    private final UUID client;

    private ClusterCondition(String name, ClusterLock lock, IMap<String, ConditionState> conditions, UUID client) {
        this.name = name;
        this.lock = lock;
        this.conditions = conditions;
        this.client = client;
    }

    /** The condition {@code name} of the lock {@code lock} (a reentrant cluster lock, as {@code m.rlock}). */
    public static ClusterCondition create(HazelcastInstance hazelcast, String name, ClusterLock lock) {
        Names.check("condition", name);
        return new ClusterCondition(name, lock, Guard.map(hazelcast.getMap(CONDITIONS), "cluster condition '" + name + "'"),
                hazelcast.getLocalEndpoint().getUuid());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String lockName() {
        return lock.name();
    }

    @Override
    public void await() throws InterruptedException {
        awaitNanos(Long.MAX_VALUE / 4);
    }

    @Override
    public void awaitUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // held again: wait once more, as a signal may still come
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitNanos(unit.toNanos(time)) > 0;
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return awaitNanos(TimeUnit.MILLISECONDS.toNanos(deadline.getTime() - System.currentTimeMillis())) > 0;
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        requireHeld("await");
        UUID ticket = UUID.randomUUID();
        conditions.executeOnKey(name, new ConditionState.Enqueue(ticket, client));
        long deadline = System.nanoTime() + Math.min(nanosTimeout, Long.MAX_VALUE / 4);
        int holds = lock.releaseAll();
        boolean signalled = false;
        try {
            long pause = 10;
            while (true) {
                if (conditions.executeOnKey(name, new ConditionState.Take(ticket, false))) {
                    signalled = true;
                    return Math.max(1, deadline - System.nanoTime());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    signalled = conditions.executeOnKey(name, new ConditionState.Take(ticket, true));
                    return signalled ? 1 : left;
                }
                try {
                    Thread.sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
                } catch (InterruptedException e) {
                    if (!conditions.executeOnKey(name, new ConditionState.Take(ticket, true))) {
                        throw e;
                    }
                    signalled = true; // a signal came first: it is not lost, the interrupt is kept
                    Thread.currentThread().interrupt();
                    return Math.max(1, deadline - System.nanoTime());
                }
                pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
            }
        } finally {
            lock.reacquire(holds);
        }
    }

    @Override
    public void signal() {
        requireHeld("signal");
        conditions.executeOnKey(name, new ConditionState.Signal(false));
    }

    @Override
    public void signalAll() {
        requireHeld("signalAll");
        conditions.executeOnKey(name, new ConditionState.Signal(true));
    }

    private void requireHeld(String what) {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException(what + " on " + this + " needs its lock '" + lock.name()
                    + "' held by the calling thread");
        }
    }

    /** Records the address this handle was got from, so that it can travel. Returns this. */
    ClusterCondition withOrigin(ClusterAddress address) {
        this.origin = address;
        return this;
    }

    @Override
    public ByReference.Reference reference() {
        return new ClusterRef(ClusterRef.Kind.CONDITION, origin, name + "\u0000" + lock.name(), 0, false);
    }

    /** Java serialization sends the reference too. */
    private Object writeReplace() {
        return reference();
    }

    @Override
    public String toString() {
        return "cluster condition '" + name + "' of lock '" + lock.name() + "'";
    }
}
