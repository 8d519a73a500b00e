package io.ipckit.samples;

import io.ipckit.core.JvmLauncher;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs a sample's main in a child JVM with {@code -Dipckit.samples.fast=true}, its output (and that of
 * the workers it starts, which inherit it) captured in a file, as a user sees it on a terminal.
 * In-process capture of {@code System.out} would miss the workers' lines: they write to the inherited
 * file descriptor, not to this JVM's {@code System.out}.
 */
final class SampleRun {
    final List<String> lines;
    final String text;

    private SampleRun(String text) {
        this.text = text;
        this.lines = text.lines().collect(Collectors.toList());
    }

    static SampleRun of(Class<?> main, Path dir, long seconds) throws Exception {
        return run(main, dir, seconds, true);
    }

    /**
     * As {@link #of}, with the seed's own sleeps: for checks of how many workers take part, which with
     * ten times shorter sleeps can all be over before the pool's later workers have booted (a pool
     * returns before its workers are up, and they boot one after another on a small machine).
     */
    static SampleRun atSeedPace(Class<?> main, Path dir, long seconds) throws Exception {
        return run(main, dir, seconds, false);
    }

    private static SampleRun run(Class<?> main, Path dir, long seconds, boolean fast) throws Exception {
        Path log = dir.resolve(main.getSimpleName() + ".log");
        Process p = JvmLauncher.forMain(main).jvmOptions("-D" + Pace.FAST + "=" + fast, "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC", "-Xmx256m")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError(main.getSimpleName() + " did not end within " + seconds + " s; output:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(main.getSimpleName() + " exited with " + p.exitValue() + "; output:\n" + out);
        }
        return new SampleRun(out);
    }

    /** Index of the first line matching {@code regex} (whole line), or -1. */
    int indexOf(String regex) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(regex)) {
                return i;
            }
        }
        return -1;
    }

    /** The lines matching {@code regex} (whole line). */
    List<String> matching(String regex) {
        return lines.stream().filter(l -> l.matches(regex)).collect(Collectors.toList());
    }

    /** Group 1 of {@code regex} for every line that matches it. */
    List<String> group(String regex) {
        Pattern p = Pattern.compile(regex);
        return lines.stream().map(p::matcher).filter(Matcher::matches).map(m -> m.group(1)).collect(Collectors.toList());
    }

    /** The largest number of tasks running at once: +1 at a line matching {@code start}, -1 at {@code end}. */
    int maxOverlap(String start, String end) {
        int running = 0;
        int max = 0;
        for (String l : lines) {
            if (l.matches(start)) {
                max = Math.max(max, ++running);
            } else if (l.matches(end)) {
                running--;
            }
        }
        return max;
    }

    @Override
    public String toString() {
        return text;
    }
}
