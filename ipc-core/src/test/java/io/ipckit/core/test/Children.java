package io.ipckit.core.test;

import io.ipckit.core.JvmLauncher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child JVMs for tests: started with {@link JvmLauncher}, their output captured to a file, and all of
 * them killed by {@link #close()} so a failing test leaves nothing running.
 */
public final class Children implements AutoCloseable {
    private final Path logDir;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    public Children(Path logDir) {
        this.logDir = logDir;
    }

    /** Starts {@code main} with {@code args}; its stdout and stderr go to a log file. */
    public Process start(Class<?> main, String... args) throws IOException {
        return start(main, List.of(), args);
    }

    /** As {@link #start(Class, String...)}, with more JVM options (system properties...). */
    public Process start(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
        return start(List.of(), main, jvmOptions, args);
    }

    /**
     * As {@link #start(Class, List, String...)}, run through {@code commandPrefix} (such as
     * {@code ip netns exec NAME}, which execs the JVM: the process is the JVM itself).
     */
    public Process start(List<String> commandPrefix, Class<?> main, List<String> jvmOptions, String... args)
            throws IOException {
        Path log = logDir.resolve(main.getSimpleName() + "-" + processes.size() + ".log");
        List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        options.addAll(jvmOptions);
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(JvmLauncher.forMain(main).args(args).jvmOptions(options.toArray(new String[0])).command());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(java.lang.ProcessBuilder.Redirect.to(log.toFile())).start();
        processes.add(p);
        logs.add(log);
        return p;
    }

    /** Waits for {@code p} to exit and returns its status; fails after {@code seconds}. */
    public int await(Process p, long seconds) throws Exception {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + p.pid() + " did not exit within " + seconds + " s; log:\n"
                    + logOf(p));
        }
        return p.exitValue();
    }

    /**
     * Waits until {@code p}'s output contains {@code text}; fails when {@code p} exits first or after
     * {@code seconds}.
     */
    public void awaitOutput(Process p, String text, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!logOf(p).contains(text)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("child " + p.pid() + " did not print \"" + text + "\" within " + seconds
                        + " s (alive: " + p.isAlive() + "); log:\n" + logOf(p));
            }
            Thread.sleep(5);
        }
    }

    /** The captured output of {@code p}. */
    public String logOf(Process p) throws IOException {
        int i = processes.indexOf(p);
        return i < 0 ? "" : Files.readString(logs.get(i), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
