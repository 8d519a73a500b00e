package io.ipckit.samples;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The samples' sleeps. By default they are the seeds' own (1 s, 2 s, a random 0–2 s); with
 * {@code -Dipckit.samples.fast=true} (read in the JVM that runs the sample's main) they are ten times
 * shorter, so the tests can run every sample quickly. Tasks capture the scaled value in the main JVM:
 * workers need no flag.
 */
public final class Pace {
    /** The system property that makes the samples' sleeps ten times shorter. */
    public static final String FAST = "ipckit.samples.fast";

    private Pace() {
    }

    /** {@code millis} as the sample should sleep it here: a tenth of it in fast mode. */
    public static long ms(long millis) {
        return Boolean.getBoolean(FAST) ? millis / 10 : millis;
    }

    /** Sleeps {@code millis} exactly (already scaled by the caller); any thread. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sleeping", e);
        }
    }

    /** Sleeps a random time in [0, maxMillis) (Python's {@code time.sleep(random.random() * 2)}). */
    public static void sleepRandom(long maxMillis) {
        sleep(maxMillis <= 0 ? 0 : ThreadLocalRandom.current().nextLong(maxMillis));
    }

    /** This process's pid: Python's {@code os.getpid()}. */
    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /** The parent's pid, or -1: Python's {@code os.getppid()}. */
    public static long ppid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    /** Seconds since {@code startNanos}, two decimals. */
    public static String since(long startNanos) {
        return String.format("%.2f", (System.nanoTime() - startNanos) / 1e9);
    }
}
