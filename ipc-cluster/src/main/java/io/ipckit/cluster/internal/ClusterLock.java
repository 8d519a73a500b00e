package io.ipckit.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A reentrant lock on the cluster (Python's {@code m.RLock()} on several hosts): the key lock of entry
 * {@code name} of one Hazelcast IMap (the community edition's lock; the CP subsystem's {@code FencedLock}
 * is Enterprise-only). The owner of a hold is the calling thread of the calling process's cluster client;
 * only it may {@link #unlock()}; it may lock again (holds are counted).
 *
 * <p>When the holder's process dies (even {@code kill -9}) while its host stays up, the kernel closes its
 * client's connections and the members release its locks at once: measured 0.07 to 0.3 s from the kill to
 * another process's {@code tryLock} succeeding (ClusterLockTest; the same with a 2 s or a 10 s client
 * timeout). When the holder's host is lost or its network cut, nothing closes the connection: the members
 * drop it after the node's client timeout ({@code ClusterNode.Builder#clientTimeout}, default 10 s) without
 * a heartbeat, and release its locks then.
 *
 * <p>Any thread of any process with the cluster address. {@link #lock()} waits in slices of
 * {@value ClusterQueue#SLICE_MILLIS} ms, so it ends with the cluster's loss instead of hanging. No
 * conditions ({@link #newCondition()} throws); no fairness guarantee.
 */
public final class ClusterLock implements Lock {
    /** Holds of this JVM's threads, per client and lock name: Hazelcast counts them but does not tell. */
    private static final ThreadLocal<Map<String, Integer>> HOLDS = ThreadLocal.withInitial(HashMap::new);

    private final String name;
    private final String holdKey;
    private final IMap<String, Boolean> locks;

    private ClusterLock(String name, String holdKey, IMap<String, Boolean> locks) {
        this.name = name;
        this.holdKey = holdKey;
        this.locks = locks;
    }

    /** The lock {@code name} of the cluster that {@code hazelcast} is connected to. */
    public static ClusterLock create(HazelcastInstance hazelcast, String name) {
        Names.check("lock", name);
        return new ClusterLock(name, hazelcast.getName() + "/" + name,
                Guard.map(hazelcast.getMap(Names.LOCKS), "cluster lock '" + name + "'"));
    }

    public String name() {
        return name;
    }

    /** Always true: cluster locks are reentrant. */
    public boolean isReentrant() {
        return true;
    }

    /** Waits for the lock as long as it takes; an interrupt is kept (the flag set again) and the wait goes on. */
    @Override
    public void lock() {
        boolean interrupted = false;
        while (true) {
            try {
                if (locks.tryLock(name, ClusterQueue.SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
                    held(1);
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        while (!tryLock(ClusterQueue.SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
            // slice by slice
        }
    }

    @Override
    public boolean tryLock() {
        if (locks.tryLock(name)) {
            held(1);
            return true;
        }
        return false;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before waiting for " + this);
        }
        long deadline = System.nanoTime() + unit.toNanos(time);
        while (true) {
            long left = deadline - System.nanoTime();
            long slice = Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(ClusterQueue.SLICE_MILLIS)));
            if (locks.tryLock(name, slice, TimeUnit.NANOSECONDS)) {
                held(1);
                return true;
            }
            if (deadline - System.nanoTime() <= 0) {
                return false;
            }
        }
    }

    /**
     * Releases one hold of the calling thread.
     *
     * @throws IllegalMonitorStateException when the calling thread does not hold the lock
     */
    @Override
    public void unlock() {
        try {
            locks.unlock(name);
        } catch (IllegalMonitorStateException e) {
            throw new IllegalMonitorStateException("the calling thread does not hold " + this + "; only the thread"
                    + " that locked it may unlock it");
        }
        held(-1);
    }

    /** Whether the calling thread holds the lock (by this JVM's count of its holds). */
    public boolean isHeldByCurrentThread() {
        return getHoldCount() > 0;
    }

    /** The calling thread's holds (by this JVM's count). */
    public int getHoldCount() {
        return HOLDS.get().getOrDefault(holdKey, 0);
    }

    /** Whether any thread of any process holds the lock: one cluster call. */
    public boolean isLocked() {
        return locks.isLocked(name);
    }

    /** Not supported on the cluster. @throws UnsupportedOperationException always */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException(this + " has no conditions; use a cluster event or queue to signal");
    }

    private void held(int delta) {
        Map<String, Integer> m = HOLDS.get();
        int n = m.getOrDefault(holdKey, 0) + delta;
        if (n <= 0) {
            m.remove(holdKey);
        } else {
            m.put(holdKey, n);
        }
    }

    @Override
    public String toString() {
        return "cluster lock '" + name + "'";
    }
}
