package io.ipckit.core.internal.local;

import io.ipckit.core.Manager;
import io.ipckit.core.SerializableFunction;
import io.ipckit.core.SharedValue;

import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.protocol.ValueProtocol;

import java.io.Serializable;
import java.util.Objects;

/**
 * {@link SharedValue} on the local backend: a handle on an object of a {@link Manager} of this host, which
 * reaches it through the manager's space. Made by {@link LocalBackend}; the contract is {@link SharedValue}'s.
 */
public final class LocalValue<T> implements Serializable, SharedValue<T> {
    private static final long serialVersionUID = 1L;
    private final HandleRef ref;

    private LocalValue(HandleRef ref) {
        this.ref = ref;
    }

    public static <T> LocalValue<T> create(ManagerClient client, String name, T initial) {
        return new LocalValue<>(HandleRef.create(client, ValueProtocol.CREATE, name, initial));
    }

    @Override
    public String name() {
        return ref.name();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        return (T) ref.call(ValueProtocol.GET);
    }

    @Override
    public void set(T value) {
        ref.call(ValueProtocol.SET, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T getAndSet(T value) {
        return (T) ref.call(ValueProtocol.GET_AND_SET, value);
    }

    @Override
    public boolean compareAndSet(T expect, T update) {
        return (Boolean) ref.call(ValueProtocol.COMPARE_AND_SET, expect, update);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T updateAndGet(SerializableFunction<? super T, ? extends T> f) {
        return (T) ref.call(ValueProtocol.UPDATE_AND_GET, Objects.requireNonNull(f, "function"));
    }

    @Override
    @SuppressWarnings("unchecked")
    public T getAndUpdate(SerializableFunction<? super T, ? extends T> f) {
        return (T) ref.call(ValueProtocol.GET_AND_UPDATE, Objects.requireNonNull(f, "function"));
    }

    /** Names the value and its manager's directory (never the access token, nor the value). */
    @Override
    public String toString() {
        return "shared value '" + ref.name() + "' of the manager in " + ManagerLayout.directoryOf(ref.address());
    }
}
