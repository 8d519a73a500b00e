package io.ipckit.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * A {@link ThreadLocal} with a fast path for the common case of one thread using an object over and
 * over: the last thread's value is remembered with its owner, so that thread skips the thread-local
 * map (whose hash probing shows up on the message path). Safe for any thread.
 *
 * @param <T> the per-thread value
 */
public final class PerThread<T> {
    private final ThreadLocal<Holder<T>> values;
    /** Every value created, when tracked (so that their owner can close them all); else null. */
    private final Queue<Holder<T>> created;
    private volatile Owned<T> last;

    public PerThread(Supplier<? extends T> initial) {
        this.values = ThreadLocal.withInitial(() -> new Holder<>(initial.get()));
        this.created = null;
    }

    private PerThread(Supplier<? extends T> initial, Queue<Holder<T>> created) {
        this.created = created;
        this.values = ThreadLocal.withInitial(() -> {
            Holder<T> h = new Holder<>(initial.get());
            created.add(h);
            return h;
        });
    }

    /**
     * Per-thread values that are resources to close with their owner: {@link #created()} lists them all,
     * including those of threads that have ended, and {@link #release()} lets go of them. For owners
     * that are closed, not for long-lived ones.
     */
    public static <T> PerThread<T> tracked(Supplier<? extends T> initial) {
        return new PerThread<>(initial, new ConcurrentLinkedQueue<>());
    }

    /** Every value created so far and not released, for a {@link #tracked} instance. */
    public List<T> created() {
        if (created == null) {
            throw new IllegalStateException("values of an untracked PerThread are not listed");
        }
        List<T> all = new ArrayList<>();
        for (Holder<T> h : created) {
            if (h.value != null) {
                all.add(h.value);
            }
        }
        return all;
    }

    /**
     * Drops every value of a {@link #tracked} instance, once its owner is closed and no thread uses it:
     * other threads' thread-local maps keep their entries until they expunge them, and those must not
     * keep the values (and what they hold: mapped files) reachable. {@link #get()} must not be called
     * afterwards.
     */
    public void release() {
        if (created == null) {
            throw new IllegalStateException("values of an untracked PerThread are not released");
        }
        last = null;
        for (Holder<T> h : created) {
            h.value = null;
        }
        created.clear();
    }

    /** This thread's value, created on first use. */
    public T get() {
        Thread me = Thread.currentThread();
        Owned<T> l = last;
        if (l != null && l.owner == me) {
            return l.value;
        }
        T v = values.get().value;
        last = new Owned<>(me, v);
        return v;
    }

    private static final class Holder<T> {
        volatile T value;

        Holder(T value) {
            this.value = value;
        }
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
