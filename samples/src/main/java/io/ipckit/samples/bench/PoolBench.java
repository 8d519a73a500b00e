package io.ipckit.samples.bench;

import io.ipckit.core.SerializableBiFunction;
import io.ipckit.core.SerializableFunction;
import io.ipckit.pool.AsyncResult;
import io.ipckit.pool.Pool;
import io.ipckit.pool.ProcessPoolExecutor;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The pool figures, with the workloads and names of the CPython anchor
 * ({@code pool.startup.first_result}, {@code pool.apply.rtt.p50/p99}, {@code pool.apply_async.throughput},
 * {@code pool.imap_unordered.throughput}, {@code pool.map.throughput}, {@code pool.starmap.throughput},
 * {@code pool.cpu.speedup}, {@code executor.submit.throughput}), on pools of two worker JVMs. Each
 * throughput is the median of three runs after a warm-up run.
 * {@code burn} runs {@value #BURN_N} iterations here (the anchor's 2,000,000 take a JIT-compiled JVM about
 * a millisecond, too short to measure parallelism): the speedup is a ratio, so the count does not matter.
 */
final class PoolBench {
    static final long BURN_N = 300_000_000L;

    private PoolBench() {
    }

    static long square(long x) {
        return x * x;
    }

    static long add(long a, long b) {
        return a + b;
    }

    static long burn(long n) {
        long t = 0;
        for (long i = 0; i < n; i++) {
            t += i * i;
        }
        return t;
    }

    static void run(boolean quick) throws Exception {
        int nTasks = quick ? 5_000 : 20_000;
        int nRtt = quick ? 2_000 : 5_000;
        SerializableFunction<Long, Long> square = PoolBench::square;
        long t0 = System.nanoTime();
        try (Pool pool = Pool.create(2)) {
            pool.apply(square, 1L);
            ChannelBench.metric("pool.startup.first_result", (System.nanoTime() - t0) / 1e9, "s");
        }
        try (Pool pool = Pool.create(2)) {
            for (int i = 0; i < 2_000; i++) {
                pool.apply(square, 1L);
            }
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (long i = 0; i < nRtt; i++) {
                long t = System.nanoTime();
                pool.apply(square, i);
                h.recordValue(System.nanoTime() - t);
            }
            ChannelBench.metric("pool.apply.rtt.p50", h.getValueAtPercentile(50) / 1e3, "us");
            ChannelBench.metric("pool.apply.rtt.p99", h.getValueAtPercentile(99) / 1e3, "us");

            ChannelBench.metric("pool.apply_async.throughput", medianRate(nTasks, () -> {
                List<AsyncResult<Long>> results = new ArrayList<>(nTasks);
                for (long i = 0; i < nTasks; i++) {
                    results.add(pool.applyAsync(square, i));
                }
                for (AsyncResult<Long> r : results) {
                    r.get();
                }
            }), "tasks/s");

            List<Long> inputs = LongList.range(nTasks);
            ChannelBench.metric("pool.imap_unordered.throughput", medianRate(nTasks, () -> {
                for (var it = pool.imapUnordered(square, inputs, 1); it.hasNext(); ) {
                    it.next();
                }
            }), "tasks/s");

            int n = nTasks * 50;
            List<Long> many = LongList.range(n);
            ChannelBench.metric("pool.map.throughput", medianRate(n, () -> pool.map(square, many)), "tasks/s");

            SerializableBiFunction<Long, Long, Long> add = PoolBench::add;
            List<java.util.Map.Entry<Long, Long>> pairs = IntStream.range(0, nTasks)
                    .mapToObj(i -> java.util.Map.entry((long) i, (long) i)).collect(Collectors.toList());
            ChannelBench.metric("pool.starmap.throughput", medianRate(nTasks, () -> pool.starmap(add, pairs)),
                    "tasks/s");

            long t;
            SerializableFunction<Long, Long> burn = PoolBench::burn;
            List<Long> work = java.util.Collections.nCopies(8, BURN_N);
            pool.map(burn, List.of(BURN_N / 10, BURN_N / 10), 1); // warm the workers' JIT
            t = System.nanoTime();
            pool.map(burn, work, 1);
            double parallel = (System.nanoTime() - t) / 1e9;
            burn(BURN_N / 10);
            t = System.nanoTime();
            for (long w : work) {
                burn(w);
            }
            double serial = (System.nanoTime() - t) / 1e9;
            ChannelBench.metric("pool.cpu.speedup", serial / parallel, "x");
        }
        try (ProcessPoolExecutor ex = ProcessPoolExecutor.create(2)) {
            ex.submit(() -> square(1)).get();
            ChannelBench.metric("executor.submit.throughput", medianRate(nTasks, () -> {
                List<CompletableFuture<Long>> futures = new ArrayList<>(nTasks);
                for (long i = 0; i < nTasks; i++) {
                    long x = i;
                    futures.add(ex.submit(() -> square(x)));
                }
                for (CompletableFuture<Long> f : futures) {
                    f.get();
                }
            }), "tasks/s");
        }
    }

    /** A workload of {@code n} tasks: run once to warm up, then three times; the median rate. */
    private static double medianRate(long n, Workload w) throws Exception {
        w.run();
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            long t = System.nanoTime();
            w.run();
            rates.add(rate(n, t));
        }
        java.util.Collections.sort(rates);
        return rates.get(1);
    }

    @FunctionalInterface
    private interface Workload {
        void run() throws Exception;
    }

    private static double rate(long n, long startNanos) {
        return n * 1e9 / (System.nanoTime() - startNanos);
    }

    /** Lists of boxed longs 0..n-1. */
    private static final class LongList {
        static List<Long> range(int n) {
            return IntStream.range(0, n).mapToObj(i -> (long) i).collect(Collectors.toList());
        }
    }
}
