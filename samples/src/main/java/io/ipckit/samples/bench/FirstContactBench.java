package io.ipckit.samples.bench;

import io.ipckit.core.JvmLauncher;
import io.ipckit.core.Manager;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The first-contact figures, what a user sees before any steady state, printed as
 * {@code METRIC <name> <value> <unit>}:
 * <ul>
 * <li>{@code hello.wall} and {@code hello.cpu} (s): {@link HelloProgram}, the first program a user writes,
 * started as a brand-new JVM exactly as a user starts their own program (this JVM's {@code java}, ipckit's
 * flags from {@link JvmLauncher#requiredJvmFlags()}, {@code -cp} with this JVM's classpath, the main class;
 * not through {@link JvmLauncher}, whose children are not plain user programs) and timed whole: wall time
 * from just before {@link ProcessBuilder#start()} to {@link Process#waitFor()} returning; CPU time (user +
 * system) of that process and of every process it started and reaped (its manager JVM and its two workers),
 * read from this JVM's {@code /proc/self/stat} ({@code cutime} + {@code cstime}) before and after.</li>
 * <li>{@code hello.cds.wall} and {@code hello.cds.cpu} (s): the same program started with the flags of
 * {@code ipckit jvm-flags --cds} as well, what a user who opts in gets.</li>
 * <li>{@code manager.connect} (s): a fresh JVM running {@link ConnectProgram}, which connects to a manager
 * already running (started here) and makes one call, timed from just before its start to the line it
 * prints: JVM boot included, as a user sees it.</li>
 * <li>{@code chronicle.first_message} (s), its anchor: a fresh JVM running {@link RawChronicleProgram}, raw
 * Chronicle Queue's first message (a new queue, one append, one read), timed the same way; and
 * {@code manager.connect.vs_raw}, the ratio of the two (below 1: ipckit's connect costs less than Chronicle's
 * own first message).</li>
 * </ul>
 * Each is the median of three timed runs after one untimed warm-up run (one timed run with {@code --quick}).
 * The warm-up matters: the first ipckit run on a new classpath also writes the class-data-sharing archives
 * of its manager and worker JVMs under {@code ~/.cache/ipckit}, which later runs start from.
 */
final class FirstContactBench {
    private static final int REPEATS = 3;
    private static final long RUN_TIMEOUT_SECONDS = 120;
    /** What {@link HelloProgram} prints, line by line, on standard output. */
    static final List<String> HELLO_OUTPUT = List.of("python", "[1, 2, 3]");

    private FirstContactBench() {
    }

    /**
     * The command that starts {@code main} as a user starts their own ipckit program: the running JVM's
     * {@code java}, ipckit's required flags, {@code -cp} this JVM's classpath (from {@code java -jar
     * ipckit-samples.jar} that is the jar, whose manifest names {@code lib/*.jar}), the class, its arguments.
     */
    static List<String> userCommand(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(JvmLauncher.javaExecutable().toString());
        cmd.addAll(JvmLauncher.requiredJvmFlags());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** One run of a program: wall seconds, CPU seconds of it and its reaped descendants (NaN if unknown), its output. */
    record Run(double wallSeconds, double cpuSeconds, List<String> stdout, String stderr) {
    }

    /**
     * Runs {@link HelloProgram} once as a fresh JVM, timed whole; fails with its output when it does not
     * exit with 0 and print {@link #HELLO_OUTPUT} on standard output (lines on standard error, such as
     * logging set-up warnings, are tolerated).
     */
    static Run runHello() throws IOException, InterruptedException {
        return runHello(List.of());
    }

    /** As {@link #runHello()}, with {@code extraFlags} before the class path. */
    static Run runHello(List<String> extraFlags) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ipckit-hello", ".out");
        Path err = Files.createTempFile("ipckit-hello", ".err");
        try {
            List<String> command = userCommand(HelloProgram.class);
            command.addAll(1 + JvmLauncher.requiredJvmFlags().size(), extraFlags);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            long ticks0 = childrenCpuTicks();
            long t0 = System.nanoTime();
            Process p = pb.start();
            waitOrKill(p, "HelloProgram");
            long t1 = System.nanoTime();
            long ticks1 = childrenCpuTicks();
            List<String> stdout = Files.readAllLines(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            List<String> lines = stdout.stream().filter(l -> !l.isBlank()).collect(Collectors.toList());
            if (p.exitValue() != 0 || !lines.equals(HELLO_OUTPUT)) {
                throw new IllegalStateException("HelloProgram exited with " + p.exitValue() + " and printed "
                        + lines + " instead of " + HELLO_OUTPUT + "; command: " + String.join(" ", pb.command())
                        + "\nstdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + stderr);
            }
            double cpu = ticks0 < 0 || ticks1 < 0 ? Double.NaN : (ticks1 - ticks0) / (double) clockTicksPerSecond();
            return new Run((t1 - t0) / 1e9, cpu, stdout, stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** {@code hello.wall} and {@code hello.cpu}. */
    static void hello(boolean quick) throws Exception {
        clockTicksPerSecond(); // asked now: getconf is a child too, reaped outside the timed runs
        Run warm = runHello(); // untimed: the first run on a classpath also writes the CDS archives
        if (!warm.stderr().isBlank()) {
            System.out.println("# hello: the program's standard error (tolerated): "
                    + warm.stderr().strip().replace("\n", " | "));
        }
        List<Double> walls = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        for (int r = 0; r < (quick ? 1 : REPEATS); r++) {
            Run run = runHello();
            walls.add(run.wallSeconds());
            cpus.add(run.cpuSeconds());
        }
        System.out.println("# hello: wall " + seconds(walls) + " s, CPU " + seconds(cpus) + " s"
                + (quick ? " (--quick: one timed run)" : ""));
        ChannelBench.metric("hello.wall", ChannelBench.median(walls), "s");
        if (cpus.stream().anyMatch(c -> c.isNaN())) {
            System.out.println("# hello.cpu: skipped, this OS has no /proc/self/stat");
        } else {
            ChannelBench.metric("hello.cpu", ChannelBench.median(cpus), "s");
        }
        helloWithCds(quick);
    }

    /**
     * {@code hello.cds.wall} and {@code hello.cds.cpu}: the same program started with the flags of
     * {@code ipckit jvm-flags --cds} (an archive of the program's own JVM; on JDK 17 made by a training run
     * first, on 19+ kept by the JVM, written by the untimed warm-up run). Skipped when this JVM's class path
     * holds a directory (CDS archives jars only).
     */
    private static void helloWithCds(boolean quick) throws Exception {
        String cp = System.getProperty("java.class.path");
        List<String> flags;
        try {
            flags = Runtime.version().feature() < 19
                    ? io.ipckit.samples.cli.CdsTrainingRun.flagsFor(cp, cp, JvmLauncher.classDataSharingDirectory(), 180)
                    : io.ipckit.samples.cli.JvmFlagsCommand.cdsFlags(Path.of("").toAbsolutePath(),
                            JvmLauncher.classDataSharingDirectory());
        } catch (IllegalArgumentException e) {
            System.out.println("# hello.cds: skipped, " + e.getMessage());
            return;
        }
        runHello(flags); // untimed: maps (or on 19+ writes) the archive
        List<Double> walls = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        for (int r = 0; r < (quick ? 1 : REPEATS); r++) {
            Run run = runHello(flags);
            walls.add(run.wallSeconds());
            cpus.add(run.cpuSeconds());
        }
        System.out.println("# hello with ipckit jvm-flags --cds: wall " + seconds(walls) + " s, CPU " + seconds(cpus) + " s");
        ChannelBench.metric("hello.cds.wall", ChannelBench.median(walls), "s");
        if (cpus.stream().noneMatch(c -> c.isNaN())) {
            ChannelBench.metric("hello.cds.cpu", ChannelBench.median(cpus), "s");
        }
    }

    /**
     * {@code manager.connect}: a fresh JVM connecting to a running manager, to its first reply; and its
     * anchor {@code chronicle.first_message}, a fresh JVM's first message through raw Chronicle Queue
     * ({@link RawChronicleProgram}), timed the same way, the two run alternately.
     */
    static void managerConnect(boolean quick) throws Exception {
        try (Manager m = Manager.start()) {
            m.map("x").size();
            timeToLine(ConnectProgram.class, "connected ", m.address()); // untimed warm-ups
            timeToLine(RawChronicleProgram.class, "read ");
            List<Double> times = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            for (int r = 0; r < (quick ? 1 : REPEATS); r++) {
                times.add(timeToLine(ConnectProgram.class, "connected ", m.address()));
                raw.add(timeToLine(RawChronicleProgram.class, "read "));
            }
            System.out.println("# manager.connect: " + seconds(times) + " s; raw Chronicle's first message: "
                    + seconds(raw) + " s" + (quick ? " (--quick: one timed run)" : ""));
            double connect = ChannelBench.median(times);
            double anchor = ChannelBench.median(raw);
            ChannelBench.metric("manager.connect", connect, "s");
            ChannelBench.metric("chronicle.first_message", anchor, "s");
            ChannelBench.metric("manager.connect.vs_raw", connect / anchor, "ratio");
        }
    }

    /**
     * Starts {@code main} as a user's program; seconds from just before its start to its first line that
     * starts with {@code line}. Fails with its output when it prints no such line or exits with non-zero.
     */
    private static double timeToLine(Class<?> main, String line, String... args)
            throws IOException, InterruptedException {
        Path err = Files.createTempFile("ipckit-connect", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(userCommand(main, args)).redirectError(err.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            long t1 = -1;
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (t1 < 0 && l.startsWith(line)) {
                        t1 = System.nanoTime();
                    }
                    lines.add(l);
                }
                waitOrKill(p, main.getSimpleName());
            } finally {
                p.destroyForcibly().waitFor();
            }
            if (t1 < 0 || p.exitValue() != 0) {
                throw new IllegalStateException(main.getSimpleName() + " exited with " + p.exitValue()
                        + " without printing '" + line + "...'; stdout: " + lines + "\nstderr:\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return (t1 - t0) / 1e9;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static void waitOrKill(Process p, String what) throws InterruptedException {
        if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new IllegalStateException(what + " did not end within " + RUN_TIMEOUT_SECONDS + " s; killed it");
        }
    }

    /**
     * {@code cutime + cstime} of this process (fields 16 and 17 of {@code /proc/self/stat}, in clock ticks):
     * the CPU time of the children it has waited for, which includes the children they waited for; -1 where
     * there is no {@code /proc}.
     */
    static long childrenCpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            // Field 2 (the command) is in parentheses and may hold spaces: count from after its ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Long.parseLong(f[16 - 3]) + Long.parseLong(f[17 - 3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long clockTicks = -1;

    /** {@code getconf CLK_TCK}, asked once; 100 (Linux's usual value) if it cannot be asked. */
    static synchronized long clockTicksPerSecond() {
        if (clockTicks < 0) {
            clockTicks = 100;
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    clockTicks = Long.parseLong(s);
                }
            } catch (IOException | NumberFormatException e) {
                // keep 100
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return clockTicks;
    }

    private static String seconds(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).collect(Collectors.joining(", "));
    }
}
