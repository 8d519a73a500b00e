package io.ipckit.samples.bench;

import io.ipckit.core.Channel;
import io.ipckit.core.JvmLauncher;
import io.ipckit.core.Space;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * First the first-contact figures ({@link FirstContactBench}: {@code hello.wall}, {@code hello.cpu},
 * {@code manager.connect}), then channel figures between separate JVMs, printed as {@code METRIC <name> <value> <unit>}:
 * {@code queue.throughput} (one producer JVM, one consumer JVM, short strings "msg&lt;i&gt;" as in the
 * CPython anchor), {@code chronicle.raw.throughput} (a plain Chronicle appender and tailer, same strings:
 * the transport's own limit), and {@code channel.idle.cpu} (percent of one core used by a consumer JVM
 * blocked on an empty channel), and {@code chronicle.raw.rtt.p50}/{@code p99} (µs, ping-pong through two
 * plain Chronicle queues between two JVMs). Each figure is the median of three repetitions after a warm-up
 * (latencies: the median of each percentile). Then the round-trip, manager and pool figures
 * ({@link ManagerBench}, {@link PoolBench}), then the cluster figures beside raw Hazelcast ({@link ClusterBench}).
 * Usage: {@code bench [--quick] [--only PREFIX] [--compare] [--workers N]} ({@code --workers}: pool workers of
 * each of the two cluster nodes, default 1); {@code --compare} then runs the CPython
 * counterpart and prints a table of both ({@link Compare}).
 */
public final class ChannelBench {
    private static final int REPEATS = 3;

    private ChannelBench() {
    }

    /** The figures printed so far by {@link #metric}, by name, in order. */
    private static final Map<String, Compare.Metric> RECORDED = Collections.synchronizedMap(new LinkedHashMap<>());

    public static void main(String[] args) throws Exception {
        List<String> argList = List.of(args);
        boolean quick = argList.contains("--quick");
        boolean compare = argList.contains("--compare");
        int at = argList.indexOf("--only");
        String only = at >= 0 && at + 1 < args.length ? args[at + 1] : "";
        if (argList.contains("--jmx-cost")) {
            int p = argList.indexOf("--pairs");
            JmxCost.run(only.isEmpty() ? JmxCost.DEFAULT_FIGURES : List.of(only),
                    p >= 0 && p + 1 < args.length ? Integer.parseInt(args[p + 1]) : 6);
            return;
        }
        long started = System.nanoTime();
        if (selected(only, "hello.wall", "hello.cpu", "hello.cds.wall", "hello.cds.cpu")) {
            FirstContactBench.hello(quick);
        }
        if (selected(only, "manager.connect", "chronicle.first_message")) {
            FirstContactBench.managerConnect(quick);
        }
        if (selected(only, "queue.throughput", "chronicle.raw.throughput")) {
            throughputs(quick);
        }
        if (selected(only, "chronicle.raw.rtt")) {
            rawRtt(quick);
        }
        if (selected(only, "channel.idle.cpu")) {
            metric("channel.idle.cpu", idleCpuPercent(quick ? 1 : 10), "%");
        }
        if (selected(only, "queue.rtt")) {
            ManagerBench.queueRtt(quick);
        }
        if (selected(only, "manager.map.put", "manager.lock.pairs")) {
            ManagerBench.managerFigures(quick, only);
        }
        if (selected(only, "pool.", "executor.")) {
            PoolBench.run(quick, only);
        }
        if (selected(only, "cluster.", "raw.cluster.")) {
            ClusterBench.run(quick, only, workers(argList));
        }
        System.out.printf(Locale.ROOT, "# ipckit figures took %.1f s%n", (System.nanoTime() - started) / 1e9);
        if (compare) {
            List<String> scriptArgs = new ArrayList<>();
            if (quick) {
                scriptArgs.add("--quick");
            }
            if (!only.isEmpty()) {
                scriptArgs.addAll(List.of("--only", only));
            }
            Map<String, Compare.Metric> ipckit;
            synchronized (RECORDED) {
                ipckit = new LinkedHashMap<>(RECORDED);
            }
            Compare.run(System.getenv("PATH"), scriptArgs, ipckit, System.out);
        }
        System.out.flush();
    }

    /** The value of {@code --workers N} (cluster pool workers per node), 1 without it. */
    private static int workers(List<String> args) {
        int at = args.indexOf("--workers");
        if (at < 0) {
            return 1;
        }
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException("--workers needs a number: the pool workers of each cluster node");
        }
        try {
            return Integer.parseInt(args.get(at + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--workers " + args.get(at + 1) + ": not a number of workers", e);
        }
    }

    /** Whether any of the figures {@code names} starts with the {@code --only} prefix (or the prefix with it). */
    static boolean selected(String only, String... names) {
        for (String n : names) {
            if (n.startsWith(only) || only.startsWith(n)) {
                return true;
            }
        }
        return false;
    }

    private static void throughputs(boolean quick) throws Exception {
        int warmup = quick ? 100_000 : 200_000;
        int measured = quick ? 300_000 : 2_000_000;
        List<Double> ipckit = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        for (int r = 0; r < REPEATS; r++) {
            ipckit.add(throughput("ipckit", warmup, measured));
            raw.add(throughput("raw", warmup, measured));
        }
        double q = median(ipckit);
        double c = median(raw);
        metric("queue.throughput", q, "msg/s");
        metric("chronicle.raw.throughput", c, "msg/s");
        metric("queue.throughput.vs_raw", q / c, "ratio");
    }

    /** Prints {@code METRIC <name> <value> <unit>} and records the figure for {@code --compare}. */
    static void metric(String name, double value, String unit) {
        RECORDED.put(name, new Compare.Metric(name, value, unit));
        System.out.println(String.format(Locale.ROOT, "METRIC %s %.6g %s", name, value, unit));
        System.out.flush();
    }

    private static double throughput(String kind, int warmup, int measured) throws Exception {
        try (Space space = Space.create()) {
            Path dir = kind.equals("raw") ? space.directory().resolve("raw") : space.directory();
            if (kind.equals("ipckit")) {
                space.channel("bench");
            } else {
                Files.createDirectories(dir);
            }
            Process consumer = child(kind + "-consumer", dir, warmup, measured);
            Process producer = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(consumer.getInputStream(),
                    StandardCharsets.UTF_8))) {
                expect(out, "READY", consumer);
                producer = child(kind + "-producer", dir, warmup, measured);
                String result = expect(out, "RESULT", consumer);
                String[] parts = result.split(" ");
                long nanos = Long.parseLong(parts[1]);
                long intervals = Long.parseLong(parts[2]);
                if (!producer.waitFor(60, TimeUnit.SECONDS) || !consumer.waitFor(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(kind + " benchmark children did not exit");
                }
                return intervals * 1e9 / nanos;
            } finally {
                consumer.destroyForcibly().waitFor();
                if (producer != null) {
                    producer.destroyForcibly().waitFor();
                }
            }
        }
    }

    private static double idleCpuPercent(int seconds) throws Exception {
        try (Space space = Space.create()) {
            Channel<String> ch = space.channel("idle");
            Process consumer = child("idle-consumer", space.directory(), 0, 0);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(consumer.getInputStream(),
                    StandardCharsets.UTF_8))) {
                expect(out, "READY", consumer);
                Thread.sleep(1000); // let start-up compilation finish
                List<Double> percents = new ArrayList<>();
                for (int r = 0; r < REPEATS; r++) {
                    Duration cpu0 = cpu(consumer);
                    long t0 = System.nanoTime();
                    Thread.sleep(seconds * 1000L);
                    Duration cpu1 = cpu(consumer);
                    percents.add(100.0 * cpu1.minus(cpu0).toNanos() / (System.nanoTime() - t0));
                }
                ch.put("stop");
                consumer.waitFor(30, TimeUnit.SECONDS);
                return median(percents);
            } finally {
                consumer.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * The transport's own round trip: this JVM appends an int as text to a plain Chronicle queue "ping"
     * and spins on a tailer of "pong"; a child JVM spins on "ping" and appends what it read to "pong".
     */
    private static void rawRtt(boolean quick) throws Exception {
        int warmup = quick ? 20_000 : 50_000;
        int measured = quick ? 20_000 : 100_000;
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        try (Space space = Space.create()) {
            Path dir = space.directory().resolve("raw-rtt");
            Files.createDirectories(dir);
            Process ponger = child("raw-ponger", dir, warmup, REPEATS * measured);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(ponger.getInputStream(),
                    StandardCharsets.UTF_8));
                 ChronicleQueue ping = ChronicleQueue.singleBuilder(dir.resolve("ping")).build();
                 ChronicleQueue pong = ChronicleQueue.singleBuilder(dir.resolve("pong")).build();
                 ExcerptAppender appender = ping.createAppender();
                 ExcerptTailer tailer = pong.createTailer()) {
                expect(out, "READY", ponger);
                roundTrips(appender, tailer, 0, warmup, null);
                for (int r = 0; r < REPEATS; r++) {
                    Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
                    roundTrips(appender, tailer, warmup + r * measured, measured, h);
                    p50.add(h.getValueAtPercentile(50) / 1e3);
                    p99.add(h.getValueAtPercentile(99) / 1e3);
                }
                if (!ponger.waitFor(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the raw ponger did not exit");
                }
            } finally {
                ponger.destroyForcibly().waitFor();
            }
        }
        metric("chronicle.raw.rtt.p50", median(p50), "us");
        metric("chronicle.raw.rtt.p99", median(p99), "us");
    }

    private static void roundTrips(ExcerptAppender appender, ExcerptTailer tailer, int from, int count,
                                   Histogram h) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = from; i < from + count; i++) {
            long t0 = System.nanoTime();
            appender.writeText(Integer.toString(i));
            String back;
            while ((back = tailer.readText()) == null) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException("the raw ponger stopped answering at " + i);
                }
                Thread.onSpinWait();
            }
            long rtt = System.nanoTime() - t0;
            if (!back.equals(Integer.toString(i))) {
                throw new IllegalStateException("the raw ponger answered " + back + " to " + i);
            }
            if (h != null) {
                h.recordValue(rtt);
            }
        }
    }

    private static Duration cpu(Process p) {
        return p.toHandle().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this OS does not report process CPU time"));
    }

    private static Process child(String role, Path dir, int warmup, int measured) throws IOException {
        return JvmLauncher.forMain(BenchChild.class)
                .args(role, dir.toString(), Integer.toString(warmup), Integer.toString(measured))
                .jvmOptions("-Xmx512m")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static String expect(BufferedReader out, String prefix, Process p) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IllegalStateException("benchmark child " + p.pid() + " ended without printing " + prefix);
    }

    /** The median: the middle value, or the mean of the two middle ones for an even count. */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
}
