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
 * {@code pool.apply.rtt.after_idle} (a round trip after a second of idleness),
 * {@code pool.cpu.speedup}, {@code executor.submit.throughput}), on pools of two worker JVMs, plus
 * {@code pool.startup.all_ready} (a pool of {@value #ALL_READY_WORKERS} created until all its workers are
 * ready), {@code pool.idle.cpu} and {@code jdk.threadpool.submit.throughput} (an in-process JDK executor of two
 * threads: the limit for task dispatch). Each figure is the median of three runs after a warm-up of
 * {@link #warmUpNanos} (latencies: the median of each percentile): the pool's caller and workers are
 * JVMs whose JIT compilers need tens of thousands of round trips, several seconds on two cores, before the
 * task path is compiled, and a figure taken sooner measures the compilers competing for the two cores.
 * {@code burn} runs {@value #BURN_N} iterations here (the anchor's 2,000,000 take a JIT-compiled JVM about
 * a millisecond, too short to measure parallelism): the speedup is a ratio, so the count does not matter.
 */
final class PoolBench {
    static final long BURN_N = 300_000_000L;
    private static final int REPEATS = 3;
    /** Workers of the pool whose start is timed whole ({@code pool.startup.all_ready}): more than cores. */
    static final int ALL_READY_WORKERS = 4;
    /** How long each workload runs before it is measured: 6 s, or 2 s with {@code --quick}. */
    private static long warmUpNanos = TimeUnit.SECONDS.toNanos(6);

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

    static void run(boolean quick, String only) throws Exception {
        int nTasks = quick ? 5_000 : 20_000;
        int nRtt = quick ? 2_000 : 5_000;
        warmUpNanos = TimeUnit.SECONDS.toNanos(quick ? 2 : 6);
        SerializableFunction<Long, Long> square = PoolBench::square;
        if (ChannelBench.selected(only, "pool.startup.first_result")) {
            List<Double> startups = new ArrayList<>();
            for (int r = 0; r < REPEATS; r++) {
                long t0 = System.nanoTime();
                try (Pool pool = Pool.create(2)) {
                    pool.apply(square, 1L);
                    startups.add((System.nanoTime() - t0) / 1e9);
                }
            }
            ChannelBench.metric("pool.startup.first_result", ChannelBench.median(startups), "s");
        }
        if (ChannelBench.selected(only, "pool.startup.all_ready")) {
            List<Double> startups = new ArrayList<>();
            for (int r = 0; r < REPEATS; r++) {
                long t0 = System.nanoTime();
                try (Pool pool = Pool.create(ALL_READY_WORKERS)) {
                    pool.awaitReady(java.time.Duration.ofMinutes(1));
                    startups.add((System.nanoTime() - t0) / 1e9);
                }
            }
            ChannelBench.metric("pool.startup.all_ready", ChannelBench.median(startups), "s");
        }
        if (ChannelBench.selected(only, "pool.idle.cpu")) {
            ChannelBench.metric("pool.idle.cpu", idleCpuPercent(quick ? 1 : 5), "%");
        }
        if (ChannelBench.selected(only, "jdk.threadpool.submit.throughput")) {
            ChannelBench.metric("jdk.threadpool.submit.throughput", jdkThreadPool(nTasks), "tasks/s");
        }
        if (!ChannelBench.selected(only, "pool.apply", "pool.imap", "pool.map", "pool.starmap", "pool.cpu",
                "executor.")) {
            return;
        }
        try (Pool pool = Pool.create(2)) {
            warmUp(() -> {
                for (int i = 0; i < 1_000; i++) {
                    pool.apply(square, 1L);
                }
            });
            List<Double> p50 = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            for (int r = 0; r < REPEATS; r++) {
                Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
                for (long i = 0; i < nRtt; i++) {
                    long t = System.nanoTime();
                    pool.apply(square, i);
                    h.recordValue(System.nanoTime() - t);
                }
                p50.add(h.getValueAtPercentile(50) / 1e3);
                p99.add(h.getValueAtPercentile(99) / 1e3);
            }
            ChannelBench.metric("pool.apply.rtt.p50", ChannelBench.median(p50), "us");
            ChannelBench.metric("pool.apply.rtt.p99", ChannelBench.median(p99), "us");
            if (ChannelBench.selected(only, "pool.apply.rtt.after_idle")) {
                ChannelBench.metric("pool.apply.rtt.after_idle", afterIdle(pool, square, quick ? 5 : 10), "us");
            }

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
            ChannelBench.metric("pool.map.throughput", medianRate(n, () -> pool.map(square, many), "pool.map"),
                    "tasks/s");

            SerializableBiFunction<Long, Long, Long> add = PoolBench::add;
            List<java.util.Map.Entry<Long, Long>> pairs = IntStream.range(0, nTasks)
                    .mapToObj(i -> java.util.Map.entry((long) i, (long) i)).collect(Collectors.toList());
            ChannelBench.metric("pool.starmap.throughput",
                    medianRate(nTasks, () -> pool.starmap(add, pairs), "pool.starmap"), "tasks/s");

            SerializableFunction<Long, Long> burn = PoolBench::burn;
            List<Long> work = java.util.Collections.nCopies(8, BURN_N);
            pool.map(burn, List.of(BURN_N / 10, BURN_N / 10), 1); // warm the workers' JIT
            burn(BURN_N / 10);
            List<Double> speedups = new ArrayList<>();
            for (int r = 0; r < REPEATS; r++) {
                long t = System.nanoTime();
                pool.map(burn, work, 1);
                double parallel = (System.nanoTime() - t) / 1e9;
                t = System.nanoTime();
                for (long w : work) {
                    burn(w);
                }
                double serial = (System.nanoTime() - t) / 1e9;
                speedups.add(serial / parallel);
            }
            ChannelBench.metric("pool.cpu.speedup", ChannelBench.median(speedups), "x");
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

    /**
     * The round trip of an {@code apply} to a pool that sat idle for a second (its workers and result
     * thread asleep), median of {@code samples}: what a service that gets a request now and then sees.
     */
    static double afterIdle(Pool pool, SerializableFunction<Long, Long> fn, int samples) throws Exception {
        List<Double> rtts = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            Thread.sleep(1000);
            long t = System.nanoTime();
            pool.apply(fn, (long) i);
            rtts.add((System.nanoTime() - t) / 1e3);
        }
        return ChannelBench.median(rtts);
    }

    /**
     * Percent of one core used by an idle pool of two workers: the CPU time of the two worker processes
     * ({@link Pool#workerPids()}, from the OS via {@link ProcessHandle.Info#totalCpuDuration()}) plus the
     * CPU time of this whole JVM ({@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}, all of
     * its threads: the pool's result and supervision threads, but also GC, JIT and this benchmark's sleeping
     * main thread, so an upper bound on the caller's share), over windows of {@code seconds}, after the pool
     * ran one task and sat idle 1 s. The pool has no manager process: it talks to its workers over channels.
     * The median of three consecutive windows. Linux counts CPU time in 10 ms ticks: a window of
     * {@code seconds} resolves {@code 1 / seconds} percent.
     */
    static double idleCpuPercent(int seconds) throws Exception {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try (Pool pool = Pool.create(2)) {
            pool.apply(PoolBench::square, 1L);
            Thread.sleep(1000);
            List<ProcessHandle> workers = new ArrayList<>();
            for (long pid : pool.workerPids()) {
                workers.add(ProcessHandle.of(pid).orElseThrow(
                        () -> new IllegalStateException("pool worker " + pid + " is gone")));
            }
            List<Double> percents = new ArrayList<>();
            List<Double> callerShare = new ArrayList<>();
            for (int r = 0; r < REPEATS; r++) {
                long callerCpu0 = os.getProcessCpuTime();
                long cpu0 = callerCpu0 + workersCpuNanos(workers);
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                long callerCpu1 = os.getProcessCpuTime();
                long cpu1 = callerCpu1 + workersCpuNanos(workers);
                long wall = System.nanoTime() - t0;
                percents.add(100.0 * (cpu1 - cpu0) / wall);
                callerShare.add(100.0 * (callerCpu1 - callerCpu0) / wall);
            }
            System.out.printf(java.util.Locale.ROOT, "# pool.idle.cpu: of which this (calling) JVM %.2f %%,"
                    + " the two workers the rest%n", ChannelBench.median(callerShare));
            return ChannelBench.median(percents);
        }
    }

    private static long workersCpuNanos(List<ProcessHandle> workers) {
        long sum = 0;
        for (ProcessHandle w : workers) {
            sum += w.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException(
                    "this OS does not report the CPU time of process " + w.pid())).toNanos();
        }
        return sum;
    }

    /** The limit for task dispatch: square(i) on an in-process JDK pool of two threads, median tasks/s. */
    private static double jdkThreadPool(int nTasks) throws Exception {
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            return medianRate(nTasks, () -> {
                List<java.util.concurrent.Future<Long>> futures = new ArrayList<>(nTasks);
                for (long i = 0; i < nTasks; i++) {
                    long x = i;
                    futures.add(ex.submit(() -> square(x)));
                }
                for (java.util.concurrent.Future<Long> f : futures) {
                    f.get();
                }
            });
        } finally {
            ex.shutdownNow();
            ex.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Runs {@code w} again and again for {@link #warmUpNanos} (at least once). */
    private static void warmUp(Workload w) throws Exception {
        long start = System.nanoTime();
        do {
            w.run();
        } while (System.nanoTime() - start < warmUpNanos);
    }

    /** A workload of {@code n} tasks: run for {@link #warmUpNanos} to warm up, then three times; the median rate. */
    private static double medianRate(long n, Workload w) throws Exception {
        warmUp(w);
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            long t = System.nanoTime();
            w.run();
            rates.add(rate(n, t));
        }
        java.util.Collections.sort(rates);
        return rates.get(1);
    }

    /**
     * As {@link #medianRate(long, Workload)}, also reporting {@code figure.caller.page_faults}: the minor
     * page faults of this (the calling) JVM per measured run, with its GC time. A JVM whose heap has just
     * grown (G1 grows it under the pauses of a large map) touches fresh pages for a while, and on a virtual
     * machine each first touch is a fault costing microseconds: a 20,000-pair starmap then takes several
     * times as long as in a JVM whose heap is already touched ({@code -XX:+AlwaysPreTouch}).
     */
    private static double medianRate(long n, Workload w, String figure) throws Exception {
        warmUp(w);
        List<Double> rates = new ArrayList<>();
        long faults = 0;
        long gcMillis = 0;
        boolean faultsKnown = minorFaults() >= 0;
        for (int r = 0; r < 3; r++) {
            long f0 = minorFaults();
            long g0 = gcMillis();
            long t = System.nanoTime();
            w.run();
            rates.add(rate(n, t));
            faults += minorFaults() - f0;
            gcMillis += gcMillis() - g0;
        }
        java.util.Collections.sort(rates);
        System.out.printf("# %s: the calling JVM's GC time %.1f ms per run%n", figure, gcMillis / 3.0);
        if (faultsKnown) { // not on a system without /proc
            ChannelBench.metric(figure + ".caller.page_faults", faults / 3.0, "faults/run");
        }
        return rates.get(1);
    }

    /** This JVM's minor page faults so far ({@code /proc/self/stat}), or -1 where that cannot be read. */
    private static long minorFaults() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[7]); // the 10th field of the line: minflt
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
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
