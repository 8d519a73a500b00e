package io.ipckit.samples.bench;

import io.ipckit.core.JvmLauncher;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench --jmx-cost [--only PREFIX] [--pairs N]}: what ipckit's MBeans ({@code -Dipckit.jmx=true})
 * cost each figure. Runs the figures in {@code N} pairs of benchmark JVMs, one with the property and one
 * without, in alternating order (so that a drift of the machine falls on both sides alike), and prints per
 * figure the median of the pairs' costs, {@code 1 - (figure with JMX) / (figure without)} (inverted for
 * latencies, times and CPU use: positive is a cost), with a 95 % bootstrap interval of that median, as
 * {@code METRIC jmx.cost.<figure> <median> %} and a comment line. The raw Chronicle figures run in the same
 * JVMs without any ipckit code: their "cost" is the noise the interval has to beat.
 *
 * <p>One thread; blocks for the whole run (about 80 s per pair with the default figures).
 */
final class JmxCost {
    /** The steady-state figures where a put, take, request or task could meet JMX code. */
    static final List<String> DEFAULT_FIGURES = List.of("queue.throughput", "queue.rtt", "manager.map.put",
            "manager.lock.pairs", "pool.apply");
    private static final long CHILD_TIMEOUT_MINUTES = 15;
    private static final int RESAMPLES = 10_000;

    private JmxCost() {
    }

    static void run(List<String> figures, int pairs) throws Exception {
        Map<String, List<Double>> costs = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (int i = 0; i < pairs; i++) {
            boolean onFirst = i % 2 == 1;
            Map<String, Compare.Metric> first = measure(figures, onFirst);
            Map<String, Compare.Metric> second = measure(figures, !onFirst);
            Map<String, Compare.Metric> on = onFirst ? first : second;
            Map<String, Compare.Metric> off = onFirst ? second : first;
            for (Compare.Metric o : off.values()) {
                Compare.Metric j = on.get(o.name());
                if (j == null || o.value() <= 0 || j.value() <= 0) {
                    continue;
                }
                double advantage = Compare.advantage(j, o); // above 1: better with JMX
                System.out.printf(Locale.ROOT, "# pair %d: %s %.4g without JMX, %.4g with (%s)%n", i + 1, o.name(),
                        o.value(), j.value(), o.unit());
                costs.computeIfAbsent(o.name(), k -> new ArrayList<>()).add((1 - advantage) * 100);
                units.put(o.name(), o.unit());
            }
            System.out.printf(Locale.ROOT, "# pair %d of %d done%n", i + 1, pairs);
        }
        for (Map.Entry<String, List<Double>> e : costs.entrySet()) {
            double[] c = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            double median = median(c);
            double[] ci = bootstrapMedian(c, new Random(42));
            System.out.printf(Locale.ROOT, "# jmx cost of %s (%s): median %+.1f %% over %d pairs, 95 %% interval %+.1f .. %+.1f %%%n",
                    e.getKey(), units.get(e.getKey()), median, c.length, ci[0], ci[1]);
            ChannelBench.metric("jmx.cost." + e.getKey(), median, "%");
        }
    }

    /** One benchmark JVM running {@code figures}, with or without the MBeans; its METRIC lines. */
    private static Map<String, Compare.Metric> measure(List<String> figures, boolean jmx) throws Exception {
        Map<String, Compare.Metric> out = new LinkedHashMap<>();
        for (String only : figures) {
            Process p = JvmLauncher.forMain(ChannelBench.class).args("--only", only)
                    .jvmOptions("-Dipckit.jmx=" + jmx).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    Compare.parse(line).ifPresent(m -> out.put(m.name(), m));
                }
            }
            if (!p.waitFor(CHILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("bench --only " + only + " did not finish in " + CHILD_TIMEOUT_MINUTES + " minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("bench --only " + only + " (jmx " + jmx + ") failed with status " + p.exitValue());
            }
        }
        return out;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** The 2.5th and 97.5th percentiles of the median of {@code values} resampled with replacement. */
    static double[] bootstrapMedian(double[] values, Random random) {
        double[] medians = new double[RESAMPLES];
        double[] sample = new double[values.length];
        for (int b = 0; b < RESAMPLES; b++) {
            for (int i = 0; i < sample.length; i++) {
                sample[i] = values[random.nextInt(values.length)];
            }
            medians[b] = median(sample);
        }
        Arrays.sort(medians);
        return new double[] {medians[(int) (RESAMPLES * 0.025)], medians[(int) (RESAMPLES * 0.975) - 1]};
    }
}
