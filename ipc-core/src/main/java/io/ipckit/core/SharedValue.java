package io.ipckit.core;

import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.protocol.ValueProtocol;

import java.io.Serializable;
import java.util.Objects;

/**
 * A value of any encodable type held by a {@link Manager} (Python's {@code m.Value(typecode, value)}),
 * with the operations of {@link java.util.concurrent.atomic.AtomicReference}. Every call runs atomically
 * in the manager, so {@link #compareAndSet} compares with {@code equals} (not identity: values travel by
 * value), and {@link #updateAndGet} runs its function there. For a plain counter, {@link SharedLong} is
 * faster: it works on mapped memory without calling the manager.
 *
 * <p>Safe for any thread of any process; serializable (pass it to another JVM and use it there). Each
 * call blocks until the manager answers and throws {@link ManagerGoneException} when it is gone, and
 * {@link SerializationException} when a value cannot be encoded. Null is a valid value.
 *
 * @param <T> the type of the value
 */
public final class SharedValue<T> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final HandleRef ref;

    private SharedValue(HandleRef ref) {
        this.ref = ref;
    }

    static <T> SharedValue<T> create(ManagerClient client, String name, T initial) {
        return new SharedValue<>(HandleRef.create(client, ValueProtocol.CREATE, name, initial));
    }

    /** The value's name in its manager. */
    public String name() {
        return ref.name();
    }

    /** The current value (a copy: changing it changes nothing in the manager). */
    @SuppressWarnings("unchecked")
    public T get() {
        return (T) ref.call(ValueProtocol.GET);
    }

    /** Sets the value. */
    public void set(T value) {
        ref.call(ValueProtocol.SET, value);
    }

    /** Sets the value atomically; returns the previous one. */
    @SuppressWarnings("unchecked")
    public T getAndSet(T value) {
        return (T) ref.call(ValueProtocol.GET_AND_SET, value);
    }

    /**
     * Sets the value to {@code update} if it {@code equals} {@code expect} (both may be null), atomically.
     *
     * @return whether it was set
     */
    public boolean compareAndSet(T expect, T update) {
        return (Boolean) ref.call(ValueProtocol.COMPARE_AND_SET, expect, update);
    }

    /**
     * Replaces the value with {@code f(value)}, atomically: {@code f} travels to the manager (through the
     * codec, so it must be a serializable lambda or class on the manager's classpath) and runs there once,
     * on the manager's only dispatcher thread, so keep it short. When {@code f} throws, the value is
     * unchanged and the exception is re-thrown here with the manager's stack trace.
     *
     * @return the new value
     * @throws SerializationException when {@code f} cannot be sent
     */
    @SuppressWarnings("unchecked")
    public T updateAndGet(SerializableFunction<? super T, ? extends T> f) {
        return (T) ref.call(ValueProtocol.UPDATE_AND_GET, Objects.requireNonNull(f, "function"));
    }

    /** As {@link #updateAndGet}, returning the previous value. */
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
