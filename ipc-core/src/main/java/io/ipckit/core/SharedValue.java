package io.ipckit.core;

import java.io.Serializable;

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
public interface SharedValue<T> extends Serializable {

    /** The value's name in its manager. */
    String name();

    /** The current value (a copy: changing it changes nothing in the manager). */
    T get();

    /** Sets the value. */
    void set(T value);

    /** Sets the value atomically; returns the previous one. */
    T getAndSet(T value);

    /**
     * Sets the value to {@code update} if it {@code equals} {@code expect} (both may be null), atomically.
     *
     * @return whether it was set
     */
    boolean compareAndSet(T expect, T update);

    /**
     * Replaces the value with {@code f(value)}, atomically: {@code f} travels to the manager (through the
     * codec, so it must be a serializable lambda or class on the manager's classpath) and runs there once,
     * on the manager's only dispatcher thread, so keep it short. When {@code f} throws, the value is
     * unchanged and the exception is re-thrown here with the manager's stack trace.
     *
     * @return the new value
     * @throws SerializationException when {@code f} cannot be sent
     */
    T updateAndGet(SerializableFunction<? super T, ? extends T> f);

    /** As {@link #updateAndGet}, returning the previous value. */
    T getAndUpdate(SerializableFunction<? super T, ? extends T> f);
}
