package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.internal.codec.ByReference;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore on the cluster (Python's {@code m.Semaphore(n)} / {@code m.BoundedSemaphore(n)} on
 * several hosts), with the verbs of {@link java.util.concurrent.Semaphore}: its whole state is one IMap
 * entry changed atomically by entry processors ({@link SemaphoreState}; ISemaphore is a CP-subsystem type).
 *
 * <p>Permits have no owner: any thread of any process may release. The cluster counts the permits each
 * client (process) acquired and did not release; when a client's connection to a member closes and it
 * has not come back after the node's client timeout ({@code ClusterNode.Builder#clientTimeout}, default
 * 10 s), that member gives its permits back ({@link ClientDeaths}): a {@code kill -9}'d holder's permits
 * are free again within about the client timeout (measured in ClusterSemaphoreTest). A release by
 * another process than the acquirer is counted against the releaser, so the acquirer's death then gives
 * back permits twice, as the manager's semaphore does.
 *
 * <p>Waits poll, every 10 ms at first and then every {@value ClusterEvent#MAX_PAUSE_MILLIS} ms at most; no
 * fairness (a waiter may be overtaken). Any thread of any process with the cluster address.
 */
public final class ClusterSemaphore implements io.ipckit.core.SharedSemaphore, ByReference {
    private static final long serialVersionUID = 1L;
    /** The address it was got from, for its {@link #reference()}; null when made from a Hazelcast instance. */
    private volatile ClusterAddress origin;

    private final String name;
    private final boolean bounded;
    private final int initial;
    private final IMap<String, SemaphoreState> map;
    private final UUID client;

    private ClusterSemaphore(String name, boolean bounded, int initial, IMap<String, SemaphoreState> map, UUID client) {
        this.name = name;
        this.bounded = bounded;
        this.initial = initial;
        this.map = map;
        this.client = client;
    }

    /**
     * The semaphore {@code name}, created with {@code permits} if it does not exist.
     *
     * @throws IllegalArgumentException when {@code permits} is negative
     * @throws IllegalStateException    when it exists with other permits or boundedness
     */
    public static ClusterSemaphore create(HazelcastInstance hazelcast, String name, int permits, boolean bounded) {
        Names.check("semaphore", name);
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore '" + name + "': permits " + permits + " is negative");
        }
        IMap<String, SemaphoreState> map = Guard.map(hazelcast.getMap(Names.SEMAPHORES),
                "cluster semaphore '" + name + "'");
        int[] existing = map.executeOnKey(name, new SemaphoreState.Init(permits, bounded));
        if (existing[0] != permits || (existing[1] == 1) != bounded) {
            throw new IllegalStateException("cluster semaphore '" + name + "' exists with " + existing[0] + " permits"
                    + (existing[1] == 1 ? ", bounded" : "") + "; open it with those or use another name");
        }
        return new ClusterSemaphore(name, bounded, permits, map, hazelcast.getLocalEndpoint().getUuid());
    }

    public String name() {
        return name;
    }

    public boolean isBounded() {
        return bounded;
    }

    public void acquire() throws InterruptedException {
        acquire(1);
    }

    public void acquire(int permits) throws InterruptedException {
        while (!tryAcquire(permits, 1, TimeUnit.DAYS)) {
            // a day at a time
        }
    }

    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    /** @throws IllegalArgumentException when {@code permits} is negative */
    public boolean tryAcquire(int permits) {
        check(permits);
        return permits == 0 || map.executeOnKey(name, new SemaphoreState.Acquire(client, permits));
    }

    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire(1, timeout, unit);
    }

    /**
     * Waits up to {@code timeout} for {@code permits}.
     *
     * @throws IllegalArgumentException when {@code permits} is negative, or exceeds a bounded semaphore's size
     * @throws InterruptedException     when interrupted before they were granted
     */
    public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
        check(permits);
        Objects.requireNonNull(unit, "unit");
        if (bounded && permits > initial) {
            throw new IllegalArgumentException(this + " has " + initial + " permits in all; " + permits
                    + " can never be acquired at once");
        }
        long deadline = System.nanoTime() + Math.min(unit.toNanos(timeout), Long.MAX_VALUE / 4);
        long pause = 10;
        while (!tryAcquire(permits)) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for " + this);
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.min(pause, left));
            pause = Math.min(ClusterEvent.MAX_PAUSE_MILLIS, pause * 2);
        }
        return true;
    }

    public void release() {
        release(1);
    }

    /**
     * @throws IllegalArgumentException when {@code permits} is negative
     * @throws IllegalStateException    when the semaphore is bounded and would exceed its initial permits
     */
    public void release(int permits) {
        check(permits);
        if (permits > 0 && !map.executeOnKey(name, new SemaphoreState.Release(client, permits))) {
            throw new IllegalStateException(this + " is bounded to " + initial + " permits; releasing " + permits
                    + " more would exceed it (as Python's BoundedSemaphore ValueError)");
        }
    }

    public int availablePermits() {
        SemaphoreState s = map.get(name);
        return s == null ? 0 : (int) Math.min(Integer.MAX_VALUE, s.available);
    }

    public int drainPermits() {
        return (int) Math.min(Integer.MAX_VALUE, map.executeOnKey(name, new SemaphoreState.Drain(client)));
    }

    private void check(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException(this + ": permits " + permits + " is negative");
        }
    }

    @Override
    public String toString() {
        return "cluster semaphore '" + name + "'";
    }

    /** Waits for a permit as long as it takes; an interrupt is kept (the flag set again) and the wait goes on. */
    @Override
    public void acquireUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                acquire();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records the address this handle was got from, so that it can travel. Returns this. */
    ClusterSemaphore withOrigin(ClusterAddress address) {
        this.origin = address;
        return this;
    }

    @Override
    public ByReference.Reference reference() {
        return new ClusterRef(ClusterRef.Kind.SEMAPHORE, origin, name, initial, bounded);
    }

    /** Java serialization sends the reference too. */
    private Object writeReplace() {
        return reference();
    }
}
