package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.Codec;
import io.ipckit.core.SerializableRunnable;
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
 * held). Arrival indexes are Python's: 0 for the first, {@code parties - 1} for the one that trips it.
 *
 * <p>An action (set by the barrier's first creator, kept sealed in its state) runs once per generation in
 * the process of the party that trips it, before any party passes, as {@code CyclicBarrier}'s and Python's
 * {@code threading.Barrier}'s do (there is no manager process on a cluster to run it in): its class must be
 * on that process's class path. Meanwhile the other parties wait on, past their timeouts (the action's run
 * extends their wait); when it throws, the barrier breaks, the tripping party getting a
 * {@link BrokenBarrierException} caused by what it threw, the others a plain one ({@link BarrierState}).
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
    /** The barrier's action, sealed, or null; opened when this handle first trips the barrier. */
    private final byte[] sealedAction;
    private final transient Payloads payloads;
    private transient SerializableRunnable action;

    private ClusterBarrier(String name, int parties, long defaultTimeoutNanos, IMap<String, BarrierState> barriers,
                           UUID client, byte[] sealedAction, Payloads payloads) {
        this.name = name;
        this.parties = parties;
        this.defaultTimeoutNanos = defaultTimeoutNanos;
        this.barriers = barriers;
        this.client = client;
        this.sealedAction = sealedAction;
        this.payloads = payloads;
    }

    /**
     * The barrier {@code name} for {@code parties}, created if absent with {@code action} (null: none);
     * {@code defaultTimeout} (null: none) bounds this handle's {@link #await()}. With {@code checkAction}, an
     * existing barrier must have an action exactly when {@code action} is not null (the first creator's is
     * kept); without (a handle made again from a reference), whatever it has is used.
     *
     * @throws IllegalArgumentException when parties is below 1, or the barrier exists for other parties or
     *         (checked) with or without an action where this call is the other way
     * @throws io.ipckit.core.SerializationException when the action cannot be encoded
     */
    public static ClusterBarrier create(HazelcastInstance hazelcast, Sealer sealer, Codec codec, String name, int parties,
                                        SerializableRunnable action, boolean checkAction, java.time.Duration defaultTimeout) {
        Names.check("barrier", name);
        if (parties < 1) {
            throw new IllegalArgumentException("barrier '" + name + "': parties must be >= 1, was " + parties);
        }
        Payloads payloads = new Payloads(codec, sealer, "barrier:" + name);
        byte[] sealed = action == null ? null : payloads.seal(action);
        IMap<String, BarrierState> map = Guard.map(hazelcast.getMap(BARRIERS), "cluster barrier '" + name + "'");
        Object[] existing = map.executeOnKey(name, new BarrierState.Init(parties, sealed));
        int existingParties = (Integer) existing[0];
        byte[] existingAction = (byte[]) existing[1];
        if (existingParties != parties) {
            throw new IllegalArgumentException("barrier '" + name + "' exists for " + existingParties + " parties, not "
                    + parties + "; open it with " + existingParties + " or use another name");
        }
        if (checkAction && (action != null) != (existingAction != null)) {
            throw new IllegalArgumentException("barrier '" + name + "' exists " + (existingAction != null ? "with" : "without")
                    + " an action; open it " + (existingAction != null ? "with one (the first creator's is kept)" : "without one")
                    + " or use another name");
        }
        long timeout = defaultTimeout == null ? -1 : Math.min(defaultTimeout.toNanos(), FOREVER_NANOS);
        return new ClusterBarrier(name, parties, timeout, map, hazelcast.getLocalEndpoint().getUuid(), existingAction, payloads);
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
        long deadline = System.nanoTime() + timeoutNanos;
        long[] arrival = arrive(deadline);
        int index = (int) arrival[0];
        long g = arrival[1];
        if (index < 0) {
            throw broken(null);
        }
        if (arrival[2] == 1) {
            return trip(index, g);
        }
        if (index == parties - 1) {
            return index;
        }
        long pause = 10;
        boolean interrupted = false;
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
                if (barriers.executeOnKey(name, new BarrierState.Break(g, interrupted
                        ? "a waiting party was interrupted" : "a waiting party timed out"))) {
                    if (interrupted) {
                        Thread.interrupted();
                        throw new InterruptedException("interrupted while waiting at " + this + "; the barrier is now"
                                + " broken, reset() it to use it again");
                    }
                    throw new TimeoutException(this + ": timed out with fewer than " + parties + " parties arrived; the"
                            + " barrier is now broken, reset() it to use it again");
                }
                // it passed, broke otherwise, or its action runs (the wait goes on until it has run)
                sleepUninterruptibly(pause);
                pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
                continue;
            }
            try {
                Thread.sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            } catch (InterruptedException e) {
                if (barriers.executeOnKey(name, new BarrierState.Break(g, "a waiting party was interrupted"))) {
                    throw e;
                }
                // it passed, broke otherwise, or its action runs: the next look tells; the interrupt stays set
                Thread.currentThread().interrupt();
                interrupted = true;
                pause = 1;
                deadline = Math.min(deadline, System.nanoTime());
            }
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
    }

    /**
     * Arrives; while the generation before the caller's trips (its action runs), comes back every 10 ms at
     * first, then every {@value #MAX_PAUSE_MILLIS} ms at most, until {@code deadline}.
     *
     * @return {@link BarrierState.Arrive}'s answer
     * @throws TimeoutException when the deadline passes first (the barrier is not broken: the caller never
     *         arrived)
     */
    private long[] arrive(long deadline) throws InterruptedException, TimeoutException {
        long pause = 10;
        while (true) {
            long[] arrival = barriers.executeOnKey(name, new BarrierState.Arrive(client));
            if (arrival[0] != BarrierState.TRIPPING) {
                return arrival;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(this + ": timed out before arriving, while the action of the"
                        + " generation before this caller's ran; the barrier is not broken");
            }
            Thread.sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
    }

    /**
     * The tripping party of generation {@code g}: runs the action here, then ends the generation (or breaks
     * it when the action threw).
     */
    private int trip(int index, long g) throws BrokenBarrierException {
        Throwable failure = null;
        try {
            runnable().run();
        } catch (Throwable t) {
            failure = t;
        }
        String reason = failure == null ? null : "its action threw " + failure + " in the process of the party that"
                + " tripped it (pid " + ProcessHandle.current().pid() + ")";
        boolean ended = barriers.executeOnKey(name, new BarrierState.Trip(g, reason));
        if (failure != null) {
            BrokenBarrierException e = new BrokenBarrierException(this + ": its action, run in this process when this"
                    + " party tripped it, threw " + failure + "; the barrier is broken, reset() it to use it again");
            e.initCause(failure);
            throw e;
        }
        if (!ended) {
            Object[] look = barriers.executeOnKey(name, new BarrierState.Look(g));
            throw broken(look[1] == null ? "it was reset, aborted or lost a party while its action ran"
                    : (String) look[1]);
        }
        return index;
    }

    /** The action, opened once per handle (a class this process lacks fails the trip with the codec's error). */
    private synchronized SerializableRunnable runnable() {
        if (action == null) {
            action = payloads.open(sealedAction);
        }
        return action;
    }

    /** Sleeps {@code millis}, keeping an interrupt for later (a party that may not leave yet). */
    private static void sleepUninterruptibly(long millis) {
        boolean interrupted = Thread.interrupted();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = millis; left > 0; left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
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
