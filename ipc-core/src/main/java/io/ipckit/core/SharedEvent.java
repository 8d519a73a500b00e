package io.ipckit.core;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * An event hosted by a {@link Manager} (Python's {@code m.Event()}): a flag, initially clear;
 * {@link #set()} wakes every thread of every process waiting in {@link #await()}.
 *
 * <p>Safe for any thread of any process; serializable. Every method throws {@link ManagerGoneException}
 * when the manager is gone; a blocked wait notices it within about a hundred milliseconds, and an
 * interrupt within about a quarter of a second.
 */
public interface SharedEvent extends Serializable {

    /** The event's name in its manager. */
    String name();

    /** Sets the flag and wakes every waiter. Never blocks on the event. */
    void set();

    /** Clears the flag. Never blocks on the event. */
    void clear();

    /** Whether the flag is set (a snapshot). */
    boolean isSet();

    /**
     * Blocks until the flag is set (returns at once when it is).
     *
     * @throws InterruptedException when interrupted before the flag was set
     */
    void await() throws InterruptedException;

    /**
     * Waits up to {@code timeout} for the flag (Python's {@code Event.wait(timeout)}).
     *
     * @return true when the flag is set, false when the time passed first
     * @throws InterruptedException when interrupted before the flag was set
     */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException;
}
