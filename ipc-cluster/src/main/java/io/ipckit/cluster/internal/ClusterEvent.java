package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.internal.codec.ByReference;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An event on the cluster (Python's {@code m.Event()} on several hosts): a flag, initially clear, kept as
 * an entry of the counters IMap (0 clear, 1 set). {@link #await} polls the flag, every 10 ms at first and
 * then every {@value #MAX_PAUSE_MILLIS} ms at most: a waiter sees a {@link #set()} within about that.
 *
 * <p>Any thread of any process with the cluster address; each call but {@code await} is one cluster call.
 */
public final class ClusterEvent implements io.ipckit.core.SharedEvent, ByReference {
    private static final long serialVersionUID = 1L;
    /** The address it was got from, for its {@link #reference()}; null when made from a Hazelcast instance. */
    private volatile ClusterAddress origin;

    static final long MAX_PAUSE_MILLIS = 100;

    private final String name;
    private final String key;
    private final IMap<String, Long> counters;

    private ClusterEvent(String name, IMap<String, Long> counters) {
        this.name = name;
        this.key = "event:" + name;
        this.counters = counters;
    }

    public static ClusterEvent create(HazelcastInstance hazelcast, String name) {
        Names.check("event", name);
        return new ClusterEvent(name, Guard.map(hazelcast.getMap(Names.COUNTERS), "cluster event '" + name + "'"));
    }

    public String name() {
        return name;
    }

    /** Sets the flag; waiters see it within about {@value #MAX_PAUSE_MILLIS} ms. */
    public void set() {
        counters.set(key, 1L);
    }

    /** Clears the flag. */
    public void clear() {
        counters.set(key, 0L);
    }

    /** Whether the flag is set (a snapshot). */
    public boolean isSet() {
        return Counters.get(counters, key) != 0;
    }

    /**
     * Blocks until the flag is set (returns at once when it is).
     *
     * @throws InterruptedException when interrupted before the flag was set
     */
    public void await() throws InterruptedException {
        await(Long.MAX_VALUE / 4, TimeUnit.NANOSECONDS);
    }

    /**
     * Waits up to {@code timeout} for the flag (Python's {@code Event.wait(timeout)}).
     *
     * @return true when the flag is set, false when the time passed first
     * @throws InterruptedException when interrupted before the flag was set
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        long deadline = System.nanoTime() + Math.min(unit.toNanos(timeout), Long.MAX_VALUE / 4);
        long pause = 10;
        while (!isSet()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.min(pause, left));
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
        return true;
    }

    @Override
    public String toString() {
        return "cluster event '" + name + "'";
    }

    /** Records the address this handle was got from, so that it can travel. Returns this. */
    ClusterEvent withOrigin(ClusterAddress address) {
        this.origin = address;
        return this;
    }

    @Override
    public ByReference.Reference reference() {
        return new ClusterRef(ClusterRef.Kind.EVENT, origin, name, 0, false);
    }

    /** Java serialization sends the reference too. */
    private Object writeReplace() {
        return reference();
    }
}
