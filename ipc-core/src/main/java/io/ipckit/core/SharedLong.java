package io.ipckit.core;

import java.io.Serializable;
import java.util.function.LongUnaryOperator;

/**
 * A {@code long} shared by processes through a {@link Manager} (Python's {@code m.Value('l', 0)}), with
 * the operations of {@link java.util.concurrent.atomic.AtomicLong}. The manager only allocates the long a
 * slot in its space's mapped values file; every operation is an atomic instruction on that mapped memory
 * in the calling process, with no call to the manager. The file is mapped once per process, on first use.
 *
 * <p>Safe for any thread of any process; serializable (pass it to another JVM and use it there). No
 * method blocks. Each throws {@link ManagerGoneException} when the manager is found gone (looked at
 * every 100 ms at most, so a long may be used up to 100 ms after its manager died).
 */
public interface SharedLong extends Serializable {

    /** The long's name in its manager. */
    String name();

    /** The current value. */
    long get();

    /** Sets the value. */
    void set(long value);

    /** Adds {@code delta} atomically; returns the new value. */
    long addAndGet(long delta);

    /** Adds {@code delta} atomically; returns the previous value. */
    long getAndAdd(long delta);

    /** Adds one atomically; returns the new value. */
    long incrementAndGet();

    /** Subtracts one atomically; returns the new value. */
    long decrementAndGet();

    /** Sets the value to {@code update} if it is {@code expect}, atomically; returns whether it did. */
    boolean compareAndSet(long expect, long update);

    /** Sets the value atomically; returns the previous value. */
    long getAndSet(long value);

    /**
     * Applies {@code f} atomically (a compare-and-set loop in this process, so {@code f} may run more
     * than once and must have no side effects); returns the new value.
     */
    long updateAndGet(LongUnaryOperator f);
}
