package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.internal.codec.ByReference;

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
public final class ClusterLock implements Lock, io.ipckit.core.SharedLock, ByReference {
    private static final long serialVersionUID = 1L;
    /** The address it was got from, for its {@link #reference()}; null when made from a Hazelcast instance. */
    private volatile ClusterAddress origin;

    /** Holds of this JVM's threads, per client and lock name: Hazelcast counts them but does not tell. */
    private static final ThreadLocal<Map<String, Integer>> HOLDS = ThreadLocal.withInitial(HashMap::new);

    private final String name;
    private final boolean reentrant;
    private final String holdKey;
    private final IMap<String, Boolean> locks;

    private ClusterLock(String name, boolean reentrant, String holdKey, IMap<String, Boolean> locks) {
        this.name = name;
        this.reentrant = reentrant;
        this.holdKey = holdKey;
        this.locks = locks;
    }

    /** The reentrant lock {@code name} of the cluster that {@code hazelcast} is connected to. */
    public static ClusterLock create(HazelcastInstance hazelcast, String name) {
        return create(hazelcast, name, true);
    }

    /**
     * The lock {@code name}: reentrant (Python's {@code RLock}) or plain (Python's {@code Lock}: locked again
     * by its holder, it waits like any other thread, for ever without a timeout, as Python's does).
     */
    public static ClusterLock create(HazelcastInstance hazelcast, String name, boolean reentrant) {
        Names.check("lock", name);
        return new ClusterLock(name, reentrant, hazelcast.getName() + "/" + name,
                Guard.map(hazelcast.getMap(Names.LOCKS), "cluster lock '" + name + "'"));
    }

    public String name() {
        return name;
    }

    /** Whether holds are counted (an rlock) or a holder locking again waits (a plain lock). */
    @Override
    public boolean isReentrant() {
        return reentrant;
    }

    /** A plain lock held by the calling thread: Hazelcast's key lock would count a second hold. */
    private boolean heldPlain() {
        return !reentrant && getHoldCount() > 0;
    }

    /** Waits for the lock as long as it takes; an interrupt is kept (the flag set again) and the wait goes on. */
    @Override
    public void lock() {
        boolean interrupted = false;
        while (true) {
            if (heldPlain()) { // Python's Lock locked again by its holder: a deadlock, as there
                try {
                    Thread.sleep(ClusterQueue.SLICE_MILLIS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                continue;
            }
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
        if (heldPlain()) {
            return false;
        }
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
        if (heldPlain()) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            return false;
        }
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

    /** Not known on the cluster (Hazelcast does not tell). @throws UnsupportedOperationException always */
    @Override
    public int getQueueLength() {
        throw new UnsupportedOperationException(this + ": a cluster lock does not know how many wait for it");
    }

    /** Not supported on the cluster. @throws UnsupportedOperationException always */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException(this + " has no conditions; use a cluster event or queue to signal");
    }

    /** Releases every hold of the calling thread (a condition's wait); returns how many. */
    int releaseAll() {
        int holds = getHoldCount();
        for (int i = 0; i < holds; i++) {
            unlock();
        }
        return holds;
    }

    /** Takes {@code holds} holds back for the calling thread (after a condition's wait), however long it takes. */
    void reacquire(int holds) {
        for (int i = 0; i < holds; i++) {
            boolean interrupted = Thread.interrupted();
            lock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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

    /** Records the address this handle was got from, so that it can travel. Returns this. */
    ClusterLock withOrigin(ClusterAddress address) {
        this.origin = address;
        return this;
    }

    @Override
    public ByReference.Reference reference() {
        return new ClusterRef(ClusterRef.Kind.LOCK, origin, name, 0, reentrant);
    }

    /** Java serialization sends the reference too. */
    private Object writeReplace() {
        return reference();
    }
}
