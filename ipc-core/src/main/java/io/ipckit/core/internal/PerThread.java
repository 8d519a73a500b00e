package io.ipckit.core.internal;

import java.util.function.Supplier;

/**
 * A {@link ThreadLocal} with a fast path for the common case of one thread using an object over and
 * over: the last thread's value is remembered with its owner, so that thread skips the thread-local
 * map (whose hash probing shows up on the message path). Safe for any thread.
 *
 * @param <T> the per-thread value
 */
public final class PerThread<T> {
    private final ThreadLocal<T> values;
    private volatile Owned<T> last;

    public PerThread(Supplier<? extends T> initial) {
        this.values = ThreadLocal.withInitial(initial);
    }

    /** This thread's value, created on first use. */
    public T get() {
        Thread me = Thread.currentThread();
        Owned<T> l = last;
        if (l != null && l.owner == me) {
            return l.value;
        }
        T v = values.get();
        last = new Owned<>(me, v);
        return v;
    }

    private static final class Owned<T> {
        final Thread owner;
        final T value;

        Owned(Thread owner, T value) {
            this.owner = owner;
            this.value = value;
        }
    }
}
