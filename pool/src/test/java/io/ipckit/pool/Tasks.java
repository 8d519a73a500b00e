package io.ipckit.pool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Static task bodies for tests (lambdas that capture nothing of the test instance). */
public final class Tasks {
    private Tasks() {
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /** Sleeps, returns {i, pid, start ms, end ms} (wall clock, shared by all JVMs of the host). */
    public static long[] stamped(int i, long sleepMillis) {
        long start = System.currentTimeMillis();
        sleep(sleepMillis);
        return new long[] {i, pid(), start, System.currentTimeMillis()};
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static int failIfOdd(int x) {
        if (x % 2 == 1) {
            throw new IllegalArgumentException("odd input " + x);
        }
        return x * 10;
    }

    /** Writes this worker's pid to {@code file}, then sleeps. */
    public static long announceAndSleep(String file, long millis) {
        write(Path.of(file), Long.toString(pid()));
        sleep(millis);
        return pid();
    }

    public static void write(Path file, String text) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a file written by {@link #write}, waiting up to {@code millis} for it. */
    public static String await(Path file, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (!Files.exists(file)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(file + " was not written within " + millis + " ms");
            }
            Thread.sleep(10);
        }
        return Files.readString(file).trim();
    }

    /** An initializer: waits up to 60 s for {@code file} to exist. */
    public static void awaitFile(String file) {
        try {
            await(Path.of(file), 60_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Registers this worker's pid in {@code dir}, then waits until {@code workers} distinct pids are
     * registered there (up to 60 s): run as {@code workers} tasks at once, it completes only when that
     * many different workers each took one.
     */
    public static long rendezvous(String dir, int workers) {
        Path d = Path.of(dir);
        write(d.resolve(Long.toString(pid())), "");
        long deadline = System.currentTimeMillis() + 60_000;
        try {
            while (true) {
                try (java.util.stream.Stream<Path> s = Files.list(d)) {
                    if (s.filter(f -> !f.getFileName().toString().endsWith(".tmp")).count() >= workers) {
                        return pid();
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("fewer than " + workers + " workers met in " + dir + " within 60 s");
                }
                sleep(10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Allocates until the heap is exhausted. */
    public static int exhaustHeap() {
        List<long[]> hog = new ArrayList<>();
        while (true) {
            hog.add(new long[1 << 20]);
        }
    }

    private static final java.util.Map<String, io.ipckit.core.Channel<Integer>> RUN_LOGS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Records that task {@code id} ran in this JVM: puts {@code id} on the channel {@code ran} of the space
     * {@code spaceDir} (opened once per worker JVM), then returns {@code id * 3}.
     */
    public static int recordRun(String spaceDir, int id) {
        try {
            RUN_LOGS.computeIfAbsent(spaceDir, d -> io.ipckit.core.Space.open(Path.of(d)).channel("ran")).put(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return id * 3;
    }

    public static void kill9(long pid) throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
    }
}
