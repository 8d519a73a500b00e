package io.ipckit.core.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The idle strategy of every blocking wait: spin briefly, then yield, then park for growing periods up
 * to {@link #MAX_PARK_NANOS}. A waiter idle for seconds wakes about a thousand times a second and uses
 * well under 1 % of a core; a waiter that finds work again resets and spins. Not thread-safe: one per
 * waiting thread and wait.
 */
public final class Backoff {
    /** Longest single park: also the bound on how late a waiter notices close or a deadline. */
    public static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int SPINS = 64;
    private static final int YIELDS = 16;
    private static final long MIN_PARK_NANOS = 1_000;

    private int idleCount;
    private long parkNanos = MIN_PARK_NANOS;

    /** Called after an attempt found nothing to do. */
    public void idle() {
        idle(Long.MAX_VALUE);
    }

    /** As {@link #idle()}, parking at most {@code maxNanos}. */
    public void idle(long maxNanos) {
        int n = idleCount++;
        if (n < SPINS) {
            Thread.onSpinWait();
        } else if (n < SPINS + YIELDS) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(Math.max(0, Math.min(parkNanos, maxNanos)));
            parkNanos = Math.min(parkNanos << 1, MAX_PARK_NANOS);
        }
    }

    /** Called after an attempt did work. */
    public void reset() {
        idleCount = 0;
        parkNanos = MIN_PARK_NANOS;
    }
}
