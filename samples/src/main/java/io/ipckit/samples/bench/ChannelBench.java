package io.ipckit.samples.bench;

import io.ipckit.core.Channel;
import io.ipckit.core.JvmLauncher;
import io.ipckit.core.Space;

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
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Channel figures between separate JVMs, printed as {@code METRIC <name> <value> <unit>}:
 * {@code queue.throughput} (one producer JVM, one consumer JVM, short strings "msg&lt;i&gt;" as in the
 * CPython anchor), {@code chronicle.raw.throughput} (a plain Chronicle appender and tailer, same strings:
 * the transport's own limit), and {@code channel.idle.cpu} (percent of one core used by a consumer JVM
 * blocked on an empty channel). Each throughput is the median of three runs after a warm-up.
 * Usage: {@code bench [--quick] [--only PREFIX]}.
 */
public final class ChannelBench {
    private static final int REPEATS = 3;

    private ChannelBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int at = List.of(args).indexOf("--only");
        String only = at >= 0 && at + 1 < args.length ? args[at + 1] : "";
        if (selected(only, "queue.throughput", "chronicle.raw.throughput")) {
            throughputs(quick);
        }
        if (selected(only, "channel.idle.cpu")) {
            metric("channel.idle.cpu", idleCpuPercent(quick ? 2 : 10), "%");
        }
        if (selected(only, "queue.rtt")) {
            ManagerBench.queueRtt(quick);
        }
        if (selected(only, "manager.")) {
            ManagerBench.managerFigures(quick);
        }
        if (selected(only, "pool.", "executor.")) {
            PoolBench.run(quick);
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

    static void metric(String name, double value, String unit) {
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
                Duration cpu0 = cpu(consumer);
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                Duration cpu1 = cpu(consumer);
                long wall = System.nanoTime() - t0;
                ch.put("stop");
                consumer.waitFor(30, TimeUnit.SECONDS);
                return 100.0 * cpu1.minus(cpu0).toNanos() / wall;
            } finally {
                consumer.destroyForcibly().waitFor();
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

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
