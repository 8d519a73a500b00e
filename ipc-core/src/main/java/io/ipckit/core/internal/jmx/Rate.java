package io.ipckit.core.internal.jmx;

import java.util.function.LongSupplier;

/**
 * A counter's rate per second for an MBean attribute, computed when read: over the time since the read
 * before (at least {@value #MIN_WINDOW_MILLIS} ms; a read sooner answers the last rate). Nothing runs
 * between reads. Any thread (reads are serialized).
 */
public final class Rate {
    static final long MIN_WINDOW_MILLIS = 1_000;
    private final LongSupplier counter;
    private long lastCount;
    private long lastNanos;
    private double lastRate;

    public Rate(LongSupplier counter) {
        this.counter = counter;
        this.lastCount = counter.getAsLong();
        this.lastNanos = System.nanoTime();
    }

    /** Events per second since the previous read (see the class). */
    public synchronized double perSecond() {
        long now = System.nanoTime();
        long elapsed = now - lastNanos;
        if (elapsed >= MIN_WINDOW_MILLIS * 1_000_000L) {
            long count = counter.getAsLong();
            lastRate = (count - lastCount) * 1e9 / elapsed;
            lastCount = count;
            lastNanos = now;
        }
        return lastRate;
    }
}
