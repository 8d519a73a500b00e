package io.ipckit.core.internal.manager.server;

import io.ipckit.core.JvmLauncher;
import io.ipckit.core.Space;
import io.ipckit.core.internal.Files2;
import io.ipckit.core.internal.JvmFlags;
import io.ipckit.core.internal.ProcessWatch;
import io.ipckit.core.internal.manager.ManagerLayout;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The manager's own JVM: {@code ManagerMain <space dir> <token> <server> <owner pid> <keep>}. Serves until
 * asked to shut down, until it is sent SIGTERM (a shutdown hook), or, unless a server, until its owner
 * process dies; then removes the space (unless {@code keep}: a durable space stays for a later manager)
 * and exits.
 *
 * <p>Server side: the main thread of a manager JVM; {@link #launch} and {@link #awaitReady} run in the
 * owner's JVM, on the thread that starts the manager.
 */
public final class ManagerMain {
    /**
     * JVM options a manager JVM starts with, before the archive's and the user's (a later option wins).
     * The serial collector: a manager's heap is small and G1's start-up and threads cost CPU that two
     * cores cannot spare while workers boot beside it. {@link JvmFlags#LATER_JIT}: see there.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xshare:auto", "-XX:+UseSerialGC",
            JvmFlags.LATER_JIT);

    private ManagerMain() {
    }

    /**
     * A manager JVM being started.
     *
     * @param process its process
     * @param log where its error output goes, or null when it goes to this JVM's
     * @param logStart the log's length before this manager started: what follows is its own
     */
    public record Launched(Process process, Path log, long logStart) {
        /** What this manager wrote to its log so far, or "" (none, or unreadable). */
        String logText() {
            if (log == null) {
                return "";
            }
            try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(log.toFile(), "r")) {
                long n = Math.min(f.length() - logStart, 64 * 1024);
                if (n <= 0) {
                    return "";
                }
                byte[] b = new byte[(int) n];
                f.seek(logStart);
                f.readFully(b);
                return new String(b, java.nio.charset.StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return "";
            }
        }
    }

    /**
     * Starts a manager JVM on the space {@code dir} (fresh, or left by a dead manager when {@code keep}).
     * Does not wait. Its standard output is discarded. A manager that dies with this JVM shares this JVM's
     * standard error; a server, which may outlive it, writes to {@link ManagerLayout#LOG_FILE} in its
     * space instead, so that it holds none of its starter's streams (a pipe the starter writes to reaches
     * end of file when the starter exits); {@link #awaitReady} reports what it wrote if it fails to start.
     */
    public static Launched launch(Path dir, String token, boolean server, boolean keep, List<String> jvmOptions)
            throws IOException {
        Path log = server ? dir.resolve(ManagerLayout.LOG_FILE) : null;
        long logStart = log != null && java.nio.file.Files.exists(log) ? java.nio.file.Files.size(log) : 0;
        Process p = JvmLauncher.forMain(ManagerMain.class)
                .args(dir.toString(), token, Boolean.toString(server), Long.toString(ProcessHandle.current().pid()),
                        Boolean.toString(keep))
                .jvmOptions(jvmOptions)
                .dieWithParent(false) // it watches its owner itself, so that it can remove its space
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log != null ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.INHERIT)
                .start();
        return new Launched(p, log, logStart);
    }

    /**
     * Waits until the launched manager has published its manager file in {@code dir}.
     *
     * @throws IllegalStateException when the process exits first or the timeout passes; the message
     *     carries what a server manager wrote to its log
     */
    public static void awaitReady(Launched launched, Path dir, Duration timeout) {
        Process p = launched.process();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                ManagerLayout.Info info = ManagerLayout.read(dir);
                if (info != null && info.pid == p.pid()) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // not written yet
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the manager JVM exited with status " + p.exitValue()
                        + " before serving; " + errorOutput(launched));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the manager JVM did not serve within " + timeout
                        + (launched.log() != null ? "; " + errorOutput(launched) : ""));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the manager", e);
            }
        }
    }

    private static String errorOutput(Launched launched) {
        if (launched.log() == null) {
            return "see its error output above";
        }
        String text = launched.logText();
        return text.isEmpty() ? "it wrote no error output" : "its error output:\n" + text;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String token = args[1];
        boolean server = Boolean.parseBoolean(args[2]);
        long ownerPid = Long.parseLong(args[3]);
        boolean keep = Boolean.parseBoolean(args[4]);
        Space space = Space.builder().directory(dir).deleteOnClose(!keep).open();
        ManagerServer s = new ManagerServer(space, token, server, keep, Handlers.all());
        CountDownLatch stop = new CountDownLatch(1);
        s.onShutdownRequest(stop::countDown);
        s.start();
        Runnable stopped = once(() -> {
            try {
                s.close();
                space.close();
            } finally {
                if (!keep) {
                    try {
                        Files2.deleteRecursively(dir);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        });
        // SIGTERM (kill PID), SIGINT, SIGHUP: the JVM runs its shutdown hooks, not the end of main
        Runtime.getRuntime().addShutdownHook(new Thread(stopped, "ipckit-manager-exit"));
        if (!server) {
            ProcessWatch.onDeath(ownerPid, 250, "ipckit-manager-owner-watch", () -> {
                System.err.println("ipckit manager: owner process " + ownerPid + " died; shutting down " + dir);
                stop.countDown();
            });
        }
        while (!stop.await(250, TimeUnit.MILLISECONDS) && s.isRunning()) {
            // serve until asked to stop, the owner dies or the dispatcher ends
        }
        stopped.run();
        System.exit(0);
    }

    /** {@code action} the first time; later calls wait until it is done, then return. */
    private static Runnable once(Runnable action) {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            synchronized (done) {
                if (done.compareAndSet(false, true)) {
                    action.run();
                }
            }
        };
    }
}
