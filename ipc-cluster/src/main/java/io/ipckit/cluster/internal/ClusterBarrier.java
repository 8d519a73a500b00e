package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.SharedBarrier;
import io.ipckit.core.internal.codec.ByReference;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cyclic barrier on the cluster (Python's {@code m.Barrier(parties)} on several hosts): its state is one
 * entry of an IMap changed by entry processors ({@link BarrierState}); a waiter looks at it every 10 ms at
 * first, then every {@value #MAX_PAUSE_MILLIS} ms at most, so parties pass within about that of the last
 * arrival. It breaks as a local barrier does: a waiter's timeout (that one gets {@link TimeoutException}),
 * an interrupt, {@link #reset()} while parties wait, {@link #abort()}; and the death of a waiting party's
 * process, which a node notices after its client timeout (the cluster's guarantee for what a dead process
 * held). Arrival indexes are Python's: 0 for the first, {@code parties - 1} for the one that trips it. No
 * action (the cluster backend refuses one).
 *
 * <p>Any thread of any process with the cluster address.
 */
public final class ClusterBarrier implements SharedBarrier, ByReference {
    private static final long serialVersionUID = 1L;
    static final String BARRIERS = "ipckit.barriers";
    static final long MAX_PAUSE_MILLIS = 100;
    private static final long FOREVER_NANOS = Long.MAX_VALUE / 4;
    /** The address it was got from, for its {@link #reference()}. */
    private volatile ClusterAddress origin;
    private final String name;
    private final int parties;
    private final long defaultTimeoutNanos;
    private final IMap<String, BarrierState> barriers;
    private final UUID client;

    private ClusterBarrier(String name, int parties, long defaultTimeoutNanos, IMap<String, BarrierState> barriers, UUID client) {
        this.name = name;
        this.parties = parties;
        this.defaultTimeoutNanos = defaultTimeoutNanos;
        this.barriers = barriers;
        this.client = client;
    }

    /**
     * The barrier {@code name} for {@code parties}, created if absent; {@code defaultTimeout} (null: none)
     * bounds this handle's {@link #await()}.
     *
     * @throws IllegalArgumentException when parties is below 1, or the barrier exists for other parties
     */
    public static ClusterBarrier create(HazelcastInstance hazelcast, String name, int parties, java.time.Duration defaultTimeout) {
        Names.check("barrier", name);
        if (parties < 1) {
            throw new IllegalArgumentException("barrier '" + name + "': parties must be >= 1, was " + parties);
        }
        IMap<String, BarrierState> map = Guard.map(hazelcast.getMap(BARRIERS), "cluster barrier '" + name + "'");
        int existing = map.executeOnKey(name, new BarrierState.Init(parties));
        if (existing != parties) {
            throw new IllegalArgumentException("barrier '" + name + "' exists for " + existing + " parties, not "
                    + parties + "; open it with " + existing + " or use another name");
        }
        long timeout = defaultTimeout == null ? -1 : Math.min(defaultTimeout.toNanos(), FOREVER_NANOS);
        return new ClusterBarrier(name, parties, timeout, map, hazelcast.getLocalEndpoint().getUuid());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int getParties() {
        return parties;
    }

    @Override
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return awaitNanos(defaultTimeoutNanos < 0 ? FOREVER_NANOS : defaultTimeoutNanos);
        } catch (TimeoutException e) {
            BrokenBarrierException broken = new BrokenBarrierException(this + ": not all " + parties + " parties"
                    + " arrived within this handle's default timeout; the barrier is broken (as Python's wait() with"
                    + " the Barrier's timeout): reset() it");
            broken.initCause(e);
            throw broken;
        }
    }

    @Override
    public int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        return awaitNanos(Math.min(unit.toNanos(timeout), FOREVER_NANOS));
    }

    private int awaitNanos(long timeoutNanos) throws InterruptedException, BrokenBarrierException, TimeoutException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before arriving at " + this);
        }
        long[] arrival = barriers.executeOnKey(name, new BarrierState.Arrive(client));
        int index = (int) arrival[0];
        long g = arrival[1];
        if (index < 0) {
            throw broken(null);
        }
        if (index == parties - 1) {
            return index;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        long pause = 10;
        while (true) {
            Object[] look = barriers.executeOnKey(name, new BarrierState.Look(g));
            int state = (Integer) look[0];
            if (state > 0) {
                return index;
            }
            if (state < 0) {
                throw broken((String) look[1]);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                barriers.executeOnKey(name, new BarrierState.Break(g, "a waiting party timed out"));
                if (passed(g)) {
                    return index;
                }
                throw new TimeoutException(this + ": timed out with fewer than " + parties + " parties arrived; the"
                        + " barrier is now broken, reset() it to use it again");
            }
            try {
                Thread.sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            } catch (InterruptedException e) {
                barriers.executeOnKey(name, new BarrierState.Break(g, "a waiting party was interrupted"));
                if (passed(g)) {
                    Thread.currentThread().interrupt();
                    return index;
                }
                throw e;
            }
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
    }

    /** Whether generation {@code g} tripped (after this caller tried to break it). */
    private boolean passed(long g) {
        return (Integer) barriers.executeOnKey(name, new BarrierState.Look(g))[0] > 0;
    }

    private BrokenBarrierException broken(String reason) {
        return new BrokenBarrierException(this + " is broken" + (reason == null ? "" : ": " + reason)
                + "; reset() it to use it again");
    }

    @Override
    public void reset() {
        barriers.executeOnKey(name, new BarrierState.Reset(true));
    }

    @Override
    public void abort() {
        barriers.executeOnKey(name, new BarrierState.Reset(false));
    }

    @Override
    public boolean isBroken() {
        return barriers.executeOnKey(name, new BarrierState.Read())[2] == 1;
    }

    @Override
    public int getNumberWaiting() {
        return barriers.executeOnKey(name, new BarrierState.Read())[1];
    }

    /** Records the address this handle was got from, so that it can travel. Returns this. */
    ClusterBarrier withOrigin(ClusterAddress address) {
        this.origin = address;
        return this;
    }

    @Override
    public ByReference.Reference reference() {
        return new ClusterRef(ClusterRef.Kind.BARRIER, origin, name, parties, false);
    }

    /** Java serialization sends the reference too. */
    private Object writeReplace() {
        return reference();
    }

    @Override
    public String toString() {
        return "cluster barrier '" + name + "'";
    }
}
