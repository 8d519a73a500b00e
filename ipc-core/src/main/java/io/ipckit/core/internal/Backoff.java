package io.ipckit.core.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link IdleStrategy} of every wait in ipckit, blocking calls and duty cycles alike: spin for 20 µs by default (system property
 * {@code ipckit.backoff.spinNanos}; a pool uses 2 µs, see {@link #Backoff(long)}), yield until
 * {@value #YIELD_NANOS} ns of idleness (a park on Linux sleeps at least ~50 µs, so parking any sooner
 * would add that to every round trip), then park for growing periods. Parks
 * are capped at 1 ms during the first 50 ms of idleness, 4 ms up to one second, {@link #MAX_PARK_NANOS}
 * after that. A wake-up from a park costs tens of microseconds of CPU on a virtual machine, so a waiter
 * idle for seconds uses well under 1 % of a core, while one that just went idle still reacts within a
 * millisecond. A {@link #Backoff(long, long) bound} caps every park lower (a duty cycle with ticks due
 * every few milliseconds); {@link LockSupport#unpark} of the waiting thread ends a park early.
 *
 * <p>Thread role: the waiting thread only; not thread-safe: one per waiting thread and wait (or per duty
 * cycle, {@link #reset()} between waits). No method allocates.
 */
public final class Backoff implements IdleStrategy {
    /** Longest single park: the bound on how late a long-idle waiter notices a message or close. */
    public static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** System property: the default spin of a JVM's waiters, in nanoseconds. */
    public static final String SPIN_PROPERTY = "ipckit.backoff.spinNanos";
    static final long SPIN_NANOS = Long.getLong(SPIN_PROPERTY, 20_000);
    static final long YIELD_NANOS = 200_000;
    private static final long MIN_PARK_NANOS = 20_000;
    private static final long SHORT_CAP = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MEDIUM_CAP = TimeUnit.MILLISECONDS.toNanos(4);
    private static final long SHORT_IDLE = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MEDIUM_IDLE = TimeUnit.SECONDS.toNanos(1);

    private final long spinNanos;
    /** The longest park of {@link #idle()}. */
    private final long maxParkNanos;
    private int idleCount;
    private long parkNanos = MIN_PARK_NANOS;
    private long idleSince;

    /** With the default spin ({@code ipckit.backoff.spinNanos}, 20 µs: best when two parties alternate). */
    public Backoff() {
        this(SPIN_NANOS);
    }

    /**
     * With another spin: shorter suits threads that share two cores with several other waiters (a pool's
     * result thread and workers), where a long spin delays the others.
     */
    public Backoff(long spinNanos) {
        this(spinNanos, Long.MAX_VALUE);
    }

    /** With the default spin, and {@link #idle()} parking at most {@code maxParkNanos} at a time. */
    public static Backoff parkingAtMost(long maxParkNanos) {
        return new Backoff(SPIN_NANOS, maxParkNanos);
    }

    /**
     * With another spin, and {@link #idle()} parking at most {@code maxParkNanos} at a time (as
     * {@link #idle(long)} does).
     */
    public Backoff(long spinNanos, long maxParkNanos) {
        this.spinNanos = spinNanos;
        this.maxParkNanos = maxParkNanos;
    }

    /**
     * After a duty cycle: {@link #reset()} when it did work, else {@link #idle()} (overridden so that both
     * calls bind statically to this final class).
     */
    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    /** Called after an attempt found nothing to do: spins, yields or parks, by how long it has been idle. */
    @Override
    public void idle() {
        idle(maxParkNanos);
    }

    /** As {@link #idle()}, parking at most {@code maxNanos}. */
    public void idle(long maxNanos) {
        long now = System.nanoTime();
        if (idleCount++ == 0) {
            idleSince = now;
        }
        long idleFor = now - idleSince;
        if (idleFor < spinNanos) {
            Thread.onSpinWait();
        } else if (idleFor < YIELD_NANOS) {
            Thread.yield();
        } else {
            long cap = idleFor < SHORT_IDLE ? SHORT_CAP : idleFor < MEDIUM_IDLE ? MEDIUM_CAP : MAX_PARK_NANOS;
            parkNanos = Math.min(parkNanos << 1, cap);
            LockSupport.parkNanos(Math.max(0, Math.min(parkNanos, maxNanos)));
        }
    }

    /** Whether the next {@link #idle()} will park (rather than spin or yield). */
    public boolean parksNext() {
        return idleCount > 0 && System.nanoTime() - idleSince >= YIELD_NANOS;
    }

    /** Called after an attempt did work. */
    @Override
    public void reset() {
        idleCount = 0;
        parkNanos = MIN_PARK_NANOS;
    }
}
