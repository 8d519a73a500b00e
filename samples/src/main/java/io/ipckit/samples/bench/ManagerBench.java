package io.ipckit.samples.bench;

import io.ipckit.core.JvmLauncher;
import io.ipckit.core.Manager;
import io.ipckit.core.SharedLock;
import io.ipckit.core.SharedMap;
import io.ipckit.core.SharedQueue;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Round-trip and manager figures, printed as {@code METRIC <name> <value> <unit>} with the CPython
 * anchor's names: {@code queue.rtt.p50}/{@code p99} (µs, ping-pong between two JVMs through two
 * shared queues of a manager; the median of each percentile over three runs), {@code manager.map.put} and
 * {@code manager.lock.pairs} (ops/s: puts, and lock+unlock pairs, with this JVM as the one client of a
 * manager in its own JVM, after a warm-up of 6 s; {@code .cold}: the first ops after the manager started).
 */
public final class ManagerBench {
    private static final int REPEATS = 3;

    private ManagerBench() {
    }

    /** The queue round trip; {@code quick} shortens it. */
    static void queueRtt(boolean quick) throws Exception {
        queueRtt(quick ? 5_000 : 20_000, quick ? 20_000 : 100_000);
    }

    /** The manager figures selected by the {@code --only} prefix {@code only}; {@code quick} shortens them. */
    static void managerFigures(boolean quick, String only) {
        int n = quick ? 20_000 : 100_000;
        long warmUpNanos = TimeUnit.SECONDS.toNanos(quick ? 2 : 6);
        try (Manager m = Manager.start()) {
            SharedMap<Integer, Integer> map = m.map("bench");
            if (ChannelBench.selected(only, "manager.map.put")) {
                ChannelBench.metric("manager.map.put", medianRate("manager.map.put", n, warmUpNanos,
                        i -> map.put(i & 1023, i)), "ops/s");
            }
            SharedLock lock = m.lock("bench-lock");
            if (ChannelBench.selected(only, "manager.lock.pairs")) {
                ChannelBench.metric("manager.lock.pairs", medianRate("manager.lock.pairs", n, warmUpNanos, i -> {
                    lock.lock();
                    lock.unlock();
                }), "ops/s");
            }
        }
    }

    /**
     * Runs {@code op} for {@code warmUpNanos} (and at least n times) as warm-up, then three times n timed;
     * the median rate in ops/s. The warm-up is the pool figures' ({@link PoolBench}): a manager JVM compiles
     * its request path late ({@link io.ipckit.core.internal.JvmFlags#LATER_JIT}) and touches its young
     * generation's pages for the first time in its first seconds, so a figure taken at once measures that
     * (about 200,000 puts/s for a few seconds, then 300,000 and more, on the 2-core machine of the README).
     * The first n ops' rate is printed as {@code figure.cold}.
     */
    private static double medianRate(String figure, int n, long warmUpNanos, java.util.function.IntConsumer op) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.accept(i);
        }
        ChannelBench.metric(figure + ".cold", n * 1e9 / (System.nanoTime() - start), "ops/s");
        while (System.nanoTime() - start < warmUpNanos) {
            for (int i = 0; i < 1_000; i++) {
                op.accept(i);
            }
        }
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                op.accept(i);
            }
            rates.add(n * 1e9 / (System.nanoTime() - t0));
        }
        Collections.sort(rates);
        return rates.get(1);
    }

    /** Warm-up round trips, then three measured runs; the median of each percentile. */
    private static void queueRtt(int warmup, int measured) throws Exception {
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        try (Manager m = Manager.start()) {
            SharedQueue<Integer> ping = m.queue("ping");
            SharedQueue<Integer> pong = m.queue("pong");
            Process child = JvmLauncher.forMain(RttChild.class)
                    .args(m.address(), Integer.toString(warmup + REPEATS * measured))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                roundTrips(ping, pong, 0, warmup, null);
                for (int r = 0; r < REPEATS; r++) {
                    Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
                    roundTrips(ping, pong, warmup + r * measured, measured, h);
                    p50.add(h.getValueAtPercentile(50) / 1e3);
                    p99.add(h.getValueAtPercentile(99) / 1e3);
                }
                child.waitFor(30, TimeUnit.SECONDS);
            } finally {
                child.destroyForcibly().waitFor();
            }
        }
        ChannelBench.metric("queue.rtt.p50", ChannelBench.median(p50), "us");
        ChannelBench.metric("queue.rtt.p99", ChannelBench.median(p99), "us");
    }

    private static void roundTrips(SharedQueue<Integer> ping, SharedQueue<Integer> pong, int from, int count,
                                   Histogram h) throws InterruptedException {
        for (int i = from; i < from + count; i++) {
            long t0 = System.nanoTime();
            ping.put(i);
            Integer back = pong.poll(30, TimeUnit.SECONDS);
            long rtt = System.nanoTime() - t0;
            if (back == null || back != i) {
                throw new IllegalStateException("ponger answered " + back + " to " + i);
            }
            if (h != null) {
                h.recordValue(rtt);
            }
        }
    }
}
