package io.ipckit.core.internal.manager;

import io.ipckit.core.JvmLauncher;
import io.ipckit.core.Space;
import io.ipckit.core.internal.Files2;
import io.ipckit.core.internal.JvmFlags;
import io.ipckit.core.internal.ProcessWatch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The manager's own JVM: {@code ManagerMain <space dir> <token> <server> <owner pid> <keep>}. Serves until
 * asked to shut down or, unless a server, until its owner process dies; then removes the space (unless
 * {@code keep}: a durable space stays for a later manager) and exits.
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
     * Starts a manager JVM on the space {@code dir} (fresh, or left by a dead manager when {@code keep}).
     * Does not wait.
     */
    public static Process launch(Path dir, String token, boolean server, boolean keep, List<String> jvmOptions)
            throws IOException {
        return JvmLauncher.forMain(ManagerMain.class)
                .args(dir.toString(), token, Boolean.toString(server), Long.toString(ProcessHandle.current().pid()),
                        Boolean.toString(keep))
                .jvmOptions(jvmOptions)
                .dieWithParent(false) // it watches its owner itself, so that it can remove its space
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /**
     * Waits until the manager process {@code p} has published its manager file in {@code dir}.
     *
     * @throws IllegalStateException when the process exits first or the timeout passes
     */
    public static void awaitReady(Process p, Path dir, Duration timeout) {
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
                        + " before serving; see its error output above");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the manager JVM did not serve within " + timeout);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the manager", e);
            }
        }
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
        if (!server) {
            ProcessWatch.onDeath(ownerPid, 250, "ipckit-manager-owner-watch", () -> {
                System.err.println("ipckit manager: owner process " + ownerPid + " died; shutting down " + dir);
                stop.countDown();
            });
        }
        while (!stop.await(250, TimeUnit.MILLISECONDS) && s.isRunning()) {
            // serve until asked to stop, the owner dies or the dispatcher ends
        }
        try {
            s.close();
            space.close();
        } finally {
            if (!keep) {
                Files2.deleteRecursively(dir);
            }
        }
        System.exit(0);
    }
}
