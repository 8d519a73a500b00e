package io.ipckit.core;

import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.client.WaitSlices;
import io.ipckit.core.internal.manager.protocol.EventProtocol;

import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An event hosted by a {@link Manager} (Python's {@code m.Event()}): a flag, initially clear;
 * {@link #set()} wakes every thread of every process waiting in {@link #await()}.
 *
 * <p>Safe for any thread of any process; serializable. Every method throws {@link ManagerGoneException}
 * when the manager is gone; a blocked wait notices it within about a hundred milliseconds, and an
 * interrupt within about a quarter of a second.
 */
public final class SharedEvent implements Serializable {
    private static final long serialVersionUID = 1L;
    /** One server-side wait for the flag: a wait of {@link WaitSlices}. */
    private static final WaitSlices.Attempt<SharedEvent> AWAIT = (e, unused, millis) -> e.awaitSlice(millis);
    private final HandleRef ref;

    private SharedEvent(HandleRef ref) {
        this.ref = ref;
    }

    static SharedEvent create(ManagerClient client, String name) {
        return new SharedEvent(HandleRef.create(client, EventProtocol.CREATE, name));
    }

    /** The event's name in its manager. */
    public String name() {
        return ref.name();
    }

    /** Sets the flag and wakes every waiter. Never blocks on the event. */
    public void set() {
        ref.call(EventProtocol.SET);
    }

    /** Clears the flag. Never blocks on the event. */
    public void clear() {
        ref.call(EventProtocol.CLEAR);
    }

    /** Whether the flag is set (a snapshot). */
    public boolean isSet() {
        return (Boolean) ref.call(EventProtocol.IS_SET);
    }

    /**
     * Blocks until the flag is set (returns at once when it is).
     *
     * @throws InterruptedException when interrupted before the flag was set
     */
    public void await() throws InterruptedException {
        WaitSlices.interruptibly(AWAIT, this, 1, "await", ref);
    }

    /**
     * Waits up to {@code timeout} for the flag (Python's {@code Event.wait(timeout)}).
     *
     * @return true when the flag is set, false when the time passed first
     * @throws InterruptedException when interrupted before the flag was set
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return WaitSlices.timed(AWAIT, this, 1, System.nanoTime(), unit.toNanos(timeout), "await", ref);
    }

    /** One server-side wait for the flag, of at most {@code millis}. */
    private boolean awaitSlice(long millis) {
        return (Boolean) ref.call(EventProtocol.AWAIT, millis);
    }

    @Override
    public String toString() {
        return "SharedEvent[" + name() + "]";
    }
}
