package io.ipckit.core;

import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.client.WaitSlices;
import io.ipckit.core.internal.manager.protocol.SemaphoreProtocol;

import java.io.Serializable;
import java.util.Objects;
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
public final class SharedSemaphore implements Serializable {
    private static final long serialVersionUID = 1L;
    /** One server-side wait for permits, of at most {@code millis}: a wait of {@link WaitSlices}. */
    private static final WaitSlices.Attempt<SharedSemaphore> TAKE = SharedSemaphore::take;
    private final HandleRef ref;
    private final boolean bounded;

    private SharedSemaphore(HandleRef ref, boolean bounded) {
        this.ref = ref;
        this.bounded = bounded;
    }

    static SharedSemaphore create(ManagerClient client, String name, int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore '" + name + "': permits must be >= 0, was " + permits);
        }
        return new SharedSemaphore(HandleRef.create(client, SemaphoreProtocol.CREATE, name, permits, bounded), bounded);
    }

    /** The semaphore's name in its manager. */
    public String name() {
        return ref.name();
    }

    /** Whether releases may not exceed the initial permits ({@link Manager#boundedSemaphore}). */
    public boolean isBounded() {
        return bounded;
    }

    private boolean take(int permits, long millis) {
        return (Boolean) ref.call(SemaphoreProtocol.ACQUIRE, permits, millis);
    }

    /**
     * Blocks until a permit is granted.
     *
     * @throws InterruptedException when interrupted before the permit was granted
     */
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    /**
     * Blocks until {@code permits} permits are granted, all at once.
     *
     * @throws IllegalArgumentException when {@code permits} is negative, or exceeds a bounded semaphore's size
     * @throws InterruptedException when interrupted before they were granted
     */
    public void acquire(int permits) throws InterruptedException {
        checkCount(permits);
        WaitSlices.interruptibly(TAKE, this, permits, "acquire", ref);
    }

    /** As {@link #acquire()}, but an interrupt is only remembered and re-asserted on return. */
    public void acquireUninterruptibly() {
        WaitSlices.uninterruptibly(TAKE, this, 1);
    }

    /** Takes a permit when one is free; never blocks on the semaphore. */
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * Takes {@code permits} permits when that many are free; never blocks on the semaphore.
     *
     * @throws IllegalArgumentException when {@code permits} is negative
     */
    public boolean tryAcquire(int permits) {
        checkCount(permits);
        return take(permits, 0);
    }

    /**
     * Waits up to {@code timeout} for a permit.
     *
     * @return true when granted, false when the time passed first
     * @throws InterruptedException when interrupted before it was granted
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire(1, timeout, unit);
    }

    /**
     * Waits up to {@code timeout} for {@code permits} permits, granted all at once.
     *
     * @return true when granted, false when the time passed first
     * @throws IllegalArgumentException when {@code permits} is negative, or exceeds a bounded semaphore's size
     * @throws InterruptedException when interrupted before they were granted
     */
    public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
        checkCount(permits);
        Objects.requireNonNull(unit, "unit");
        return WaitSlices.timed(TAKE, this, permits, System.nanoTime(), unit.toNanos(timeout), "tryAcquire", ref);
    }

    /**
     * Releases a permit. Never blocks on the semaphore.
     *
     * @throws IllegalStateException when the semaphore is bounded and would exceed its initial permits
     *                               (Python's {@code ValueError}); the semaphore is unchanged then
     */
    public void release() {
        release(1);
    }

    /**
     * Releases {@code permits} permits. Never blocks on the semaphore.
     *
     * @throws IllegalArgumentException when {@code permits} is negative
     * @throws IllegalStateException when the semaphore is bounded and would exceed its initial permits
     */
    public void release(int permits) {
        checkCount(permits);
        ref.call(SemaphoreProtocol.RELEASE, permits);
    }

    /** The permits free now (a snapshot). */
    public int availablePermits() {
        return (Integer) ref.call(SemaphoreProtocol.AVAILABLE);
    }

    /** Takes every free permit and returns how many it took. */
    public int drainPermits() {
        return (Integer) ref.call(SemaphoreProtocol.DRAIN);
    }

    private void checkCount(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore '" + name() + "': the number of permits must be >= 0, was "
                    + permits);
        }
    }

    @Override
    public String toString() {
        return "SharedSemaphore[" + name() + (bounded ? ", bounded" : "") + "]";
    }
}
