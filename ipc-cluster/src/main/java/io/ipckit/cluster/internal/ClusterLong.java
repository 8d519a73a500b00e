package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.internal.codec.ByReference;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

/**
 * A shared {@code long} on the cluster (Python's {@code m.Value('q', 0)} with its lock): an entry of one
 * IMap changed atomically by entry processors on its owning member (IAtomicLong is a CP-subsystem type,
 * Enterprise-only for safety since 5.5). Starts at 0; replicated to the node's backup count. The number is
 * stored plain (it is no user payload; members must compute on it).
 *
 * <p>Any thread of any process with the cluster address; each call is one cluster call.
 */
public final class ClusterLong implements io.ipckit.core.SharedLong, ByReference {
    private static final long serialVersionUID = 1L;
    /** The address it was got from, for its {@link #reference()}; null when made from a Hazelcast instance. */
    private volatile ClusterAddress origin;

    private final String name;
    private final String key;
    private final IMap<String, Long> counters;

    private ClusterLong(String name, IMap<String, Long> counters) {
        this.name = name;
        this.key = "long:" + name;
        this.counters = counters;
    }

    public static ClusterLong create(HazelcastInstance hazelcast, String name) {
        Names.check("long", name);
        return new ClusterLong(name, Guard.map(hazelcast.getMap(Names.COUNTERS), "cluster long '" + name + "'"));
    }

    public String name() {
        return name;
    }

    public long get() {
        return Counters.get(counters, key);
    }

    public void set(long value) {
        Counters.getAndSet(counters, key, value);
    }

    public long getAndSet(long value) {
        return Counters.getAndSet(counters, key, value);
    }

    public long addAndGet(long delta) {
        return Counters.addAndGet(counters, key, delta);
    }

    public long getAndAdd(long delta) {
        return Counters.getAndAdd(counters, key, delta);
    }

    public long incrementAndGet() {
        return addAndGet(1);
    }

    public long decrementAndGet() {
        return addAndGet(-1);
    }

    public boolean compareAndSet(long expect, long update) {
        return Counters.compareAndSet(counters, key, expect, update);
    }

    @Override
    public String toString() {
        return "cluster long '" + name + "'";
    }

    /** Applies {@code f} atomically by compare-and-set (it may run more than once, here). */
    @Override
    public long updateAndGet(java.util.function.LongUnaryOperator f) {
        while (true) {
            long current = get();
            long next = f.applyAsLong(current);
            if (compareAndSet(current, next)) {
                return next;
            }
        }
    }

    /** Records the address this handle was got from, so that it can travel. Returns this. */
    ClusterLong withOrigin(ClusterAddress address) {
        this.origin = address;
        return this;
    }

    @Override
    public ByReference.Reference reference() {
        return new ClusterRef(ClusterRef.Kind.LONG, origin, name, 0, false);
    }

    /** Java serialization sends the reference too. */
    private Object writeReplace() {
        return reference();
    }
}
