package io.ipckit.core;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore hosted by a {@link Manager} (Python's {@code m.Semaphore(n)}, or with
 * {@link Manager#boundedSemaphore} {@code m.BoundedSemaphore(n)}), with the verbs of
 * {@link java.util.concurrent.Semaphore}. Waiters are served in arrival order; {@link #tryAcquire()}
 * takes free permits even when others wait.
 *
 * <p>Permits have no owner: any thread of any process may release. The manager counts the permits each
 * process acquired and did not release; when a process dies (even {@code kill -9}) or disconnects, they
 * are released for it within about 200 ms ({@code ManagerServer.LIVENESS_MILLIS}) plus a few milliseconds.
 *
 * <p>Safe for any thread of any process; serializable. Every method throws {@link ManagerGoneException}
 * when the manager is gone; a blocked wait notices it within about a hundred milliseconds. Interruption of
 * a blocked wait is noticed within about a quarter of a second.
 */
public interface SharedSemaphore extends Serializable {

    /** The semaphore's name in its manager. */
    String name();

    /** Whether releases may not exceed the initial permits ({@link Manager#boundedSemaphore}). */
    boolean isBounded();

    /**
     * Blocks until a permit is granted.
     *
     * @throws InterruptedException when interrupted before the permit was granted
     */
    void acquire() throws InterruptedException;

    /**
     * Blocks until {@code permits} permits are granted, all at once.
     *
     * @throws IllegalArgumentException when {@code permits} is negative, or exceeds a bounded semaphore's size
     * @throws InterruptedException when interrupted before they were granted
     */
    void acquire(int permits) throws InterruptedException;

    /** As {@link #acquire()}, but an interrupt is only remembered and re-asserted on return. */
    void acquireUninterruptibly();

    /** Takes a permit when one is free; never blocks on the semaphore. */
    boolean tryAcquire();

    /**
     * Takes {@code permits} permits when that many are free; never blocks on the semaphore.
     *
     * @throws IllegalArgumentException when {@code permits} is negative
     */
    boolean tryAcquire(int permits);

    /**
     * Waits up to {@code timeout} for a permit.
     *
     * @return true when granted, false when the time passed first
     * @throws InterruptedException when interrupted before it was granted
     */
    boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Waits up to {@code timeout} for {@code permits} permits, granted all at once.
     *
     * @return true when granted, false when the time passed first
     * @throws IllegalArgumentException when {@code permits} is negative, or exceeds a bounded semaphore's size
     * @throws InterruptedException when interrupted before they were granted
     */
    boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Releases a permit. Never blocks on the semaphore.
     *
     * @throws IllegalStateException when the semaphore is bounded and would exceed its initial permits
     *                               (Python's {@code ValueError}); the semaphore is unchanged then
     */
    void release();

    /**
     * Releases {@code permits} permits. Never blocks on the semaphore.
     *
     * @throws IllegalArgumentException when {@code permits} is negative
     * @throws IllegalStateException when the semaphore is bounded and would exceed its initial permits
     */
    void release(int permits);

    /** The permits free now (a snapshot). */
    int availablePermits();

    /** Takes every free permit and returns how many it took. */
    int drainPermits();
}
