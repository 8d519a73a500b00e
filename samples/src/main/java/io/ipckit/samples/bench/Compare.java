package io.ipckit.samples.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench --compare}: runs the project's CPython counterpart ({@code ipckit_bench_cpython.py}, a resource
 * of this jar, extracted to a temporary file) with {@code python3} from the PATH, and prints one table of
 * ipckit's figures next to CPython's. The ratio column always reads "how many times better ipckit is":
 * ipckit / CPython for throughputs and speedups, CPython / ipckit for latencies, times and CPU use.
 */
final class Compare {
    /** The counterpart's name, next to this class in the jar. */
    static final String SCRIPT = "ipckit_bench_cpython.py";
    private static final long PYTHON_TIMEOUT_MINUTES = 10;

    /** One {@code METRIC <name> <value> <unit>} line. */
    record Metric(String name, double value, String unit) {
    }

    /**
     * The CPython figure(s) each ipckit figure is compared with, where the names differ: ipckit's channel
     * is compared with both of CPython's queues.
     */
    private static final Map<String, List<String>> COUNTERPARTS = Map.of(
            "queue.throughput", List.of("queue.throughput.mp_queue", "queue.throughput.manager_queue"));

    private Compare() {
    }

    /** Parses a {@code METRIC <name> <value> <unit>} line; empty for any other line. */
    static Optional<Metric> parse(String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 4 || !parts[0].equals("METRIC")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Metric(parts[1], Double.parseDouble(parts[2]), parts[3]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether a smaller value is better for a figure in {@code unit} (latencies, durations, CPU use). */
    static boolean lowerIsBetter(String unit) {
        return switch (unit) {
            case "ns", "us", "ms", "s", "%" -> true;
            default -> false;
        };
    }

    /** How many times better ipckit's figure is than CPython's (above 1: ipckit is better). */
    static double advantage(Metric ipckit, Metric cpython) {
        return lowerIsBetter(ipckit.unit()) ? cpython.value() / ipckit.value() : ipckit.value() / cpython.value();
    }

    /**
     * The table: one row per ipckit figure (with its CPython counterpart, or "-"), then CPython's figures
     * that no ipckit figure names.
     */
    static List<String> table(Map<String, Metric> ipckit, Map<String, Metric> cpython) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"figure", "unit", "ipckit", "CPython", "ratio"});
        List<String> used = new ArrayList<>();
        for (Metric i : ipckit.values()) {
            List<String> names = COUNTERPARTS.getOrDefault(i.name(), List.of(i.name()));
            boolean any = false;
            for (String n : names) {
                Metric c = cpython.get(n);
                if (c == null) {
                    continue;
                }
                any = true;
                used.add(n);
                String label = n.equals(i.name()) ? i.name() : i.name() + " vs " + n;
                rows.add(new String[] {label, i.unit(), format(i.value()), format(c.value()),
                        String.format(Locale.ROOT, "%.2fx", advantage(i, c))});
            }
            if (!any) {
                rows.add(new String[] {i.name(), i.unit(), format(i.value()), "-", "-"});
            }
        }
        for (Metric c : cpython.values()) {
            if (!used.contains(c.name())) {
                rows.add(new String[] {c.name(), c.unit(), "-", format(c.value()), "-"});
            }
        }
        int[] width = new int[5];
        for (String[] r : rows) {
            for (int k = 0; k < 5; k++) {
                width[k] = Math.max(width[k], r[k].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            out.add(String.format(Locale.ROOT, "%-" + width[0] + "s  %-" + width[1] + "s  %" + width[2] + "s  %"
                    + width[3] + "s  %" + width[4] + "s", (Object[]) r).stripTrailing());
        }
        return out;
    }

    private static String format(double v) {
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
    }

    /** The first executable {@code python3} on {@code pathVariable} (a PATH value), if any. */
    static Optional<Path> findPython(String pathVariable) {
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "python3");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the counterpart with the python3 found on {@code pathVariable} and prints the table to
     * {@code out}; without python3, prints a note saying so and returns an empty map. Blocks until the
     * counterpart ends (at most {@value #PYTHON_TIMEOUT_MINUTES} minutes; it is killed after that).
     *
     * @return CPython's figures by name
     */
    static Map<String, Metric> run(String pathVariable, List<String> scriptArgs, Map<String, Metric> ipckit,
                                   PrintStream out) throws IOException, InterruptedException {
        Optional<Path> python = findPython(pathVariable);
        if (python.isEmpty()) {
            out.println("# compare: skipped, python3 is not on the PATH (install CPython 3 and rerun"
                    + " with --compare to see CPython's figures next to ipckit's)");
            return Map.of();
        }
        Path script = Files.createTempFile("ipckit_bench_cpython", ".py");
        try {
            try (InputStream in = Compare.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IllegalStateException(SCRIPT + " is missing from the samples jar: rebuild with"
                            + " mvn -B -q -DskipTests package");
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> command = new ArrayList<>(List.of(python.get().toString(), script.toString()));
            command.addAll(scriptArgs);
            out.println("# compare: running the CPython counterpart: " + String.join(" ", command));
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Thread watchdog = new Thread(() -> {
                try {
                    if (!p.waitFor(PYTHON_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                        out.println("# compare: the CPython counterpart ran over " + PYTHON_TIMEOUT_MINUTES
                                + " minutes; killed it");
                        kill(p);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-compare-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            Map<String, Metric> cpython = new LinkedHashMap<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    out.println("# CPython: " + line);
                    parse(line).ifPresent(m -> cpython.put(m.name(), m));
                }
                int exit = p.waitFor();
                if (exit != 0) {
                    out.println("# compare: the CPython counterpart exited with " + exit);
                }
            } finally {
                kill(p);
                watchdog.interrupt();
            }
            out.println();
            table(ipckit, cpython).forEach(out::println);
            out.println("# ratio: how many times better ipckit is (ipckit/CPython for rates and speedups,"
                    + " CPython/ipckit for latencies, times and CPU use)");
            return cpython;
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
