package io.ipckit.core.internal.local;

import io.ipckit.core.Manager;
import io.ipckit.core.SerializableRunnable;
import io.ipckit.core.SharedBarrier;

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
 * {@link SharedBarrier} on the local backend: a handle on an object of a {@link Manager} of this host, which
 * reaches it through the manager's space. Made by {@link LocalBackend}; the contract is {@link SharedBarrier}'s.
 */
public final class LocalBarrier implements Serializable, SharedBarrier {
    private static final long serialVersionUID = 1L;
    /** Timeouts longer than this are no timeout. */
    private static final long FOREVER_MILLIS = TimeUnit.DAYS.toMillis(365L * 100);
    private final HandleRef ref;
    private final int parties;
    /** This handle's default wait for {@link #await()}, in ms; -1: none. */
    private final long defaultTimeoutMillis;

    private LocalBarrier(HandleRef ref, int parties) {
        this(ref, parties, -1);
    }

    private LocalBarrier(HandleRef ref, int parties, long defaultTimeoutMillis) {
        this.ref = ref;
        this.parties = parties;
        this.defaultTimeoutMillis = defaultTimeoutMillis;
    }

    /** A handle of this barrier whose {@link #await()} waits at most {@code timeout} (see {@link Manager#barrier(String, int, java.time.Duration)}). */
    public LocalBarrier withDefaultTimeout(java.time.Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("barrier '" + name() + "': the default timeout must be >= 0, was "
                    + timeout);
        }
        long millis = timeout.toMillis() > FOREVER_MILLIS ? -1 : timeout.toMillis();
        return new LocalBarrier(ref, parties, millis);
    }

    /** Gets or creates the barrier; {@code action} (may be null) travels to the manager with the creation. */
    public static LocalBarrier create(ManagerClient client, String name, int parties, SerializableRunnable action) {
        if (parties < 1) {
            throw new IllegalArgumentException("barrier '" + name + "': parties must be >= 1, was " + parties);
        }
        HandleRef ref = action == null ? HandleRef.create(client, BarrierProtocol.CREATE, name, parties)
                : HandleRef.create(client, BarrierProtocol.CREATE, name, parties, action);
        return new LocalBarrier(ref, parties);
    }

    @Override
    public String name() {
        return ref.name();
    }

    @Override
    public int getParties() {
        return parties;
    }

    @Override
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

    @Override
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

    @Override
    public void reset() {
        ref.call(BarrierProtocol.RESET);
    }

    @Override
    public void abort() {
        ref.call(BarrierProtocol.ABORT);
    }

    @Override
    public boolean isBroken() {
        return (Boolean) ref.call(BarrierProtocol.IS_BROKEN);
    }

    @Override
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
