package io.ipckit.core;

import java.io.Serializable;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cyclic barrier hosted by a {@link Manager} (Python's {@code m.Barrier(parties)}): {@link #await()}
 * blocks until {@link #getParties()} threads (of any processes) are waiting, then all of them pass and the
 * barrier is ready for the next round.
 *
 * <p>{@code await} returns the arrival index as Python's {@code Barrier.wait()} does: 0 for the first
 * to arrive, {@code parties - 1} for the one that trips the barrier (note: {@link
 * java.util.concurrent.CyclicBarrier} counts the other way).
 *
 * <p>The barrier breaks, and its waiters throw {@link BrokenBarrierException}, when a waiter times out
 * (that one throws {@link TimeoutException}), is interrupted, or its process dies or disconnects
 * (noticed within about 200 ms plus a few milliseconds), when {@link #reset()} is called while threads
 * wait, and on {@link #abort()}. A broken barrier refuses every {@code await} until {@link #reset()}.
 *
 * <p>Safe for any thread of any process; serializable. Every method throws {@link ManagerGoneException}
 * when the manager is gone; a blocked wait notices it within about a hundred milliseconds, and an
 * interrupt within about a quarter of a second.
 */
public interface SharedBarrier extends Serializable {

    /** The barrier's name in its manager. */
    String name();

    /** The number of parties that trip the barrier. */
    int getParties();

    /**
     * Waits until all parties wait; with a default timeout (see {@link Manager#barrier(String, int,
     * java.time.Duration)}), at most that long, then the barrier breaks and this throws
     * {@link BrokenBarrierException}.
     *
     * @return the arrival index: 0 for the first, {@code parties - 1} for the last
     * @throws BrokenBarrierException when the barrier is or becomes broken while waiting
     * @throws InterruptedException when interrupted while waiting (the barrier is broken then, unless it
     *                              had tripped; interrupted on entry, the barrier is left alone)
     */
    int await() throws InterruptedException, BrokenBarrierException;

    /**
     * Waits up to {@code timeout} until all parties wait (Python's {@code Barrier.wait(timeout)}).
     *
     * @return the arrival index: 0 for the first, {@code parties - 1} for the last
     * @throws TimeoutException when the time passed first; the barrier is broken then
     * @throws BrokenBarrierException when the barrier is or becomes broken while waiting
     * @throws InterruptedException when interrupted while waiting (the barrier is broken then)
     */
    int await(long timeout, TimeUnit unit)
            throws InterruptedException, BrokenBarrierException, TimeoutException;

    /**
     * Breaks the barrier for the threads waiting now (they throw {@link BrokenBarrierException}) and makes
     * it ready for a new round, not broken. Never blocks on the barrier.
     */
    void reset();

    /**
     * Breaks the barrier (Python's {@code Barrier.abort()}): waiting threads and later arrivals throw
     * {@link BrokenBarrierException} until {@link #reset()}. Never blocks on the barrier.
     */
    void abort();

    /** Whether the barrier is broken (a snapshot). */
    boolean isBroken();

    /** How many parties wait at the barrier now (a snapshot). */
    int getNumberWaiting();
}
