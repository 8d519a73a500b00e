package io.ipckit.samples.cli;

import io.ipckit.core.ChannelInfo;
import io.ipckit.core.SpaceInfo;
import io.ipckit.pool.WorkerInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ipckit top SPACE}: a live view of a space, refreshed every interval: each channel's depth and its
 * put and take rates since the last refresh, then each pool worker's state, tasks done and task rate.
 * Reads the space's files only (no manager call). Runs until interrupted (Ctrl-C), or {@code --iterations}
 * refreshes; on a terminal it redraws in place.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
        description = {"A live view of a space: each channel's depth and put/take rates, each pool worker's "
                + "state and task rate, refreshed every interval until Ctrl-C. Reads the space's files only."})
final class TopCommand implements Callable<Integer> {
    private static final String CHANNEL_ROW = "%-32s %10s %12s %12s%n";
    private static final String WORKER_ROW = "%-6s %-18s %-10s %10s %10s%n";

    @Parameters(paramLabel = "SPACE", description = "a space directory, or its name under /dev/shm or the temp dir")
    String space;

    @Option(names = "--dir", description = "parent directory to find SPACE in (repeatable)")
    List<Path> dirs;

    @Option(names = {"-i", "--interval"}, paramLabel = "MILLIS", defaultValue = "1000",
            description = "milliseconds between refreshes (default 1000)")
    long intervalMillis;

    @Option(names = {"-n", "--iterations"}, paramLabel = "N", defaultValue = "0",
            description = "stop after N refreshes (default: until Ctrl-C)")
    int iterations;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (intervalMillis < 100) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be at least 100 ms, was "
                    + intervalMillis);
        }
        PrintWriter out = spec.commandLine().getOut();
        SpaceInfo info = CliSupport.resolveSpace(space, dirs);
        boolean terminal = System.console() != null;
        Map<String, long[]> lastChannels = new HashMap<>();
        Map<Long, Long> lastTasks = new HashMap<>();
        long last = System.nanoTime();
        for (int n = 0; iterations == 0 || n < iterations; n++) {
            if (n > 0) {
                Thread.sleep(intervalMillis);
            }
            if (!Files.isDirectory(info.directory())) {
                out.println("space " + info.directory() + " is gone");
                out.flush();
                return 1;
            }
            long now = System.nanoTime();
            double seconds = n == 0 ? 0 : (now - last) / 1e9;
            last = now;
            if (terminal) {
                out.print("\033[H\033[2J"); // home, clear
            }
            out.println("ipckit top " + info.directory() + "   " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                    + "   every " + Duration.ofMillis(intervalMillis).toMillis() + " ms");
            channels(out, info, lastChannels, seconds);
            workers(out, info.directory(), lastTasks, seconds);
            out.println();
            out.flush();
        }
        return 0;
    }

    private static void channels(PrintWriter out, SpaceInfo info, Map<String, long[]> last, double seconds) {
        List<ChannelInfo> channels;
        try {
            channels = info.channels();
        } catch (UncheckedIOException e) {
            out.println("channels unreadable: " + e.getMessage());
            return;
        }
        out.printf(CHANNEL_ROW, "CHANNEL", "DEPTH", "PUT/S", "TAKEN/S");
        for (ChannelInfo c : channels) {
            if (!c.hasCounters()) {
                out.printf(CHANNEL_ROW, c.name(), "?", "?", "?");
                continue;
            }
            long[] before = last.put(c.name(), new long[] {c.appended(), c.taken()});
            out.printf(CHANNEL_ROW, c.name(), c.depth(), rate(before == null ? -1 : c.appended() - before[0], seconds),
                    rate(before == null ? -1 : c.taken() - before[1], seconds));
        }
    }

    private static void workers(PrintWriter out, Path dir, Map<Long, Long> last, double seconds) {
        List<WorkerInfo> workers;
        try {
            workers = WorkerInfo.list(dir);
        } catch (IllegalStateException e) {
            return;
        }
        if (workers.isEmpty()) {
            return;
        }
        out.printf(WORKER_ROW, "WORKER", "PID", "STATE", "TASKS-DONE", "TASKS/S");
        for (WorkerInfo w : workers) {
            Long before = last.put(w.pid(), w.tasksDone());
            out.printf(WORKER_ROW, w.index(), w.pid() > 0 ? String.valueOf(w.pid()) : "-",
                    w.state().name().toLowerCase(Locale.ROOT), w.tasksDone(),
                    rate(before == null ? -1 : w.tasksDone() - before, seconds));
        }
    }

    /** Events per second, or "-" on the first refresh. */
    private static String rate(long delta, double seconds) {
        return delta < 0 || seconds <= 0 ? "-" : String.format(Locale.ROOT, "%.0f", delta / seconds);
    }
}
