package io.ipckit.core;

import io.ipckit.core.internal.manager.Remote;
import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.client.WaitSlices;
import io.ipckit.core.internal.manager.protocol.BarrierProtocol;
import io.ipckit.core.internal.manager.protocol.Protocol.Reply;

import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cyclic barrier hosted by a {@link Manager} (Python's {@code m.Barrier(parties)}): {@link #await()}
 * blocks until {@link #getParties()} threads (of any processes) are waiting, then all of them pass and the
 * barrier is ready for the next round.
 *
 * <p>{@code await} returns the arrival index as Python's {@code Barrier.wait()} does: 0 for the first
 * to arrive, {@code parties - 1} for the one that trips the barrier (note: {@link
 * java.util.concurrent.CyclicBarrier} counts the other way).
 *
 * <p>The barrier breaks, and its waiters throw {@link BrokenBarrierException}, when a waiter times out
 * (that one throws {@link TimeoutException}), is interrupted, or its process dies or disconnects
 * (noticed within about 200 ms plus a few milliseconds), when {@link #reset()} is called while threads
 * wait, and on {@link #abort()}. A broken barrier refuses every {@code await} until {@link #reset()}.
 *
 * <p>Safe for any thread of any process; serializable. Every method throws {@link ManagerGoneException}
 * when the manager is gone; a blocked wait notices it within about a hundred milliseconds, and an
 * interrupt within about a quarter of a second.
 */
public final class SharedBarrier implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Timeouts longer than this are no timeout. */
    private static final long FOREVER_MILLIS = TimeUnit.DAYS.toMillis(365L * 100);
    private final HandleRef ref;
    private final int parties;
    /** This handle's default wait for {@link #await()}, in ms; -1: none. */
    private final long defaultTimeoutMillis;

    private SharedBarrier(HandleRef ref, int parties) {
        this(ref, parties, -1);
    }

    private SharedBarrier(HandleRef ref, int parties, long defaultTimeoutMillis) {
        this.ref = ref;
        this.parties = parties;
        this.defaultTimeoutMillis = defaultTimeoutMillis;
    }

    /** A handle of this barrier whose {@link #await()} waits at most {@code timeout} (see {@link Manager#barrier(String, int, java.time.Duration)}). */
    SharedBarrier withDefaultTimeout(java.time.Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("barrier '" + name() + "': the default timeout must be >= 0, was "
                    + timeout);
        }
        long millis = timeout.toMillis() > FOREVER_MILLIS ? -1 : timeout.toMillis();
        return new SharedBarrier(ref, parties, millis);
    }

    static SharedBarrier create(ManagerClient client, String name, int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("barrier '" + name + "': parties must be >= 1, was " + parties);
        }
        return new SharedBarrier(HandleRef.create(client, BarrierProtocol.CREATE, name, parties), parties);
    }

    /** The barrier's name in its manager. */
    public String name() {
        return ref.name();
    }

    /** The number of parties that trip the barrier. */
    public int getParties() {
        return parties;
    }

    /**
     * Waits until all parties wait; with a default timeout (see {@link Manager#barrier(String, int,
     * java.time.Duration)}), at most that long, then the barrier breaks and this throws
     * {@link BrokenBarrierException}.
     *
     * @return the arrival index: 0 for the first, {@code parties - 1} for the last
     * @throws BrokenBarrierException when the barrier is or becomes broken while waiting
     * @throws InterruptedException when interrupted while waiting (the barrier is broken then, unless it
     *                              had tripped; interrupted on entry, the barrier is left alone)
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return awaitFor(defaultTimeoutMillis);
        } catch (TimeoutException e) {
            if (defaultTimeoutMillis < 0) {
                throw new IllegalStateException("barrier '" + name() + "': a wait without timeout timed out", e);
            }
            BrokenBarrierException broken = new BrokenBarrierException("barrier '" + name() + "': not all " + parties
                    + " parties arrived within this handle's default timeout of " + defaultTimeoutMillis
                    + " ms; the barrier is broken (as Python's wait() with the Barrier's timeout): reset() it");
            broken.initCause(e);
            throw broken;
        }
    }

    /**
     * Waits up to {@code timeout} until all parties wait (Python's {@code Barrier.wait(timeout)}).
     *
     * @return the arrival index: 0 for the first, {@code parties - 1} for the last
     * @throws TimeoutException when the time passed first; the barrier is broken then
     * @throws BrokenBarrierException when the barrier is or becomes broken while waiting
     * @throws InterruptedException when interrupted while waiting (the barrier is broken then)
     */
    public int await(long timeout, TimeUnit unit)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        long nanos = Math.max(0, unit.toNanos(timeout));
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        if (TimeUnit.MILLISECONDS.toNanos(millis) < nanos) {
            millis++;
        }
        return awaitFor(millis > FOREVER_MILLIS ? -1 : millis);
    }

    private int awaitFor(long timeoutMillis) throws InterruptedException, BrokenBarrierException, TimeoutException {
        if (Thread.interrupted()) {
            throw new InterruptedException("await on barrier '" + name() + "' interrupted before arriving");
        }
        long thread = WaitSlices.threadId();
        int v = (Integer) call(BarrierProtocol.AWAIT, thread, timeoutMillis, WaitSlices.SLICE_MILLIS);
        while (v == BarrierProtocol.WAITING) {
            if (Thread.interrupted()) {
                int index = (Integer) call(BarrierProtocol.ABANDON, thread);
                if (index != BarrierProtocol.WAITING) {
                    Thread.currentThread().interrupt(); // it tripped meanwhile: pass, keep the interrupt
                    return index;
                }
                throw new InterruptedException("await on barrier '" + name() + "' interrupted; the barrier "
                        + "is broken now");
            }
            v = (Integer) call(BarrierProtocol.CONTINUE, thread, WaitSlices.SLICE_MILLIS);
        }
        return v;
    }

    /**
     * Breaks the barrier for the threads waiting now (they throw {@link BrokenBarrierException}) and makes
     * it ready for a new round, not broken. Never blocks on the barrier.
     */
    public void reset() {
        ref.call(BarrierProtocol.RESET);
    }

    /**
     * Breaks the barrier (Python's {@code Barrier.abort()}): waiting threads and later arrivals throw
     * {@link BrokenBarrierException} until {@link #reset()}. Never blocks on the barrier.
     */
    public void abort() {
        ref.call(BarrierProtocol.ABORT);
    }

    /** Whether the barrier is broken (a snapshot). */
    public boolean isBroken() {
        return (Boolean) ref.call(BarrierProtocol.IS_BROKEN);
    }

    /** How many parties wait at the barrier now (a snapshot). */
    public int getNumberWaiting() {
        return (Integer) ref.call(BarrierProtocol.NUMBER_WAITING);
    }

    private Object call(BarrierProtocol op, Object... args) throws BrokenBarrierException, TimeoutException {
        Reply reply = ref.exchange(op, args);
        Throwable error = reply.error;
        if (error == null) {
            return reply.value;
        }
        String call = ref + "." + op.label();
        if (error instanceof BrokenBarrierException) {
            Remote.attachCallSite(error, call);
            throw (BrokenBarrierException) error;
        }
        if (error instanceof TimeoutException) {
            Remote.attachCallSite(error, call);
            throw (TimeoutException) error;
        }
        throw Remote.rethrowable(error, call);
    }

    @Override
    public String toString() {
        return "SharedBarrier[" + name() + ", " + parties + " parties]";
    }
}
