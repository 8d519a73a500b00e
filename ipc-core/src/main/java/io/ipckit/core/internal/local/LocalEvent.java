package io.ipckit.core.internal.local;

import io.ipckit.core.Manager;
import io.ipckit.core.SharedEvent;

import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.client.WaitSlices;
import io.ipckit.core.internal.manager.protocol.EventProtocol;

import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@link SharedEvent} on the local backend: a handle on an object of a {@link Manager} of this host, which
 * reaches it through the manager's space. Made by {@link LocalBackend}; the contract is {@link SharedEvent}'s.
 */
public final class LocalEvent implements Serializable, SharedEvent {
    private static final long serialVersionUID = 1L;
    /** One server-side wait for the flag: a wait of {@link WaitSlices}. */
    private static final WaitSlices.Attempt<LocalEvent> AWAIT = (e, unused, millis) -> e.awaitSlice(millis);
    private final HandleRef ref;

    private LocalEvent(HandleRef ref) {
        this.ref = ref;
    }

    public static LocalEvent create(ManagerClient client, String name) {
        return new LocalEvent(HandleRef.create(client, EventProtocol.CREATE, name));
    }

    @Override
    public String name() {
        return ref.name();
    }

    @Override
    public void set() {
        ref.call(EventProtocol.SET);
    }

    @Override
    public void clear() {
        ref.call(EventProtocol.CLEAR);
    }

    @Override
    public boolean isSet() {
        return (Boolean) ref.call(EventProtocol.IS_SET);
    }

    @Override
    public void await() throws InterruptedException {
        WaitSlices.interruptibly(AWAIT, this, 1, "await", ref);
    }

    @Override
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
