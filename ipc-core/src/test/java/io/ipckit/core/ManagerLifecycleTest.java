package io.ipckit.core;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.ManagerOwnerMain;
import io.ipckit.core.test.ServerStarterMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who outlives whom: a manager started by a program dies with it; one started as a server does not. */
class ManagerLifecycleTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    @Timeout(90)
    void ownerKilled_managerExitsAndRemovesItsSpace() throws Exception {
        try (Children children = new Children(work)) {
            Process owner = children.start(ManagerOwnerMain.class, "false");
            String[] line = awaitManagerLine(children, owner);
            ProcessHandle manager = ProcessHandle.of(Long.parseLong(line[1])).orElseThrow();
            Path dir = io.ipckit.core.internal.manager.ManagerLayout.directoryOf(line[2]);
            assertTrue(Files.isDirectory(dir));

            kill9(owner.pid());
            manager.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(manager.isAlive(), "the manager exits when its owner dies");
            assertFalse(Files.exists(dir), "and removes its space");
        }
    }

    @Test
    @Timeout(90)
    void serverOwnerKilled_managerKeepsServingUntilShutdown() throws Exception {
        try (Children children = new Children(work)) {
            Process owner = children.start(ManagerOwnerMain.class, "true");
            String[] line = awaitManagerLine(children, owner);
            ProcessHandle manager = ProcessHandle.of(Long.parseLong(line[1])).orElseThrow();
            kill9(owner.pid());
            owner.waitFor(10, TimeUnit.SECONDS);
            Thread.sleep(1_000); // longer than the manager's owner check
            assertTrue(manager.isAlive(), "a server outlives the program that started it");
            Manager m = Manager.connect(line[2]);
            try {
                assertEquals(owner.pid(), m.<String, Long>map("owned").get("by"), "and keeps its objects");
            } finally {
                m.shutdown();
            }
            manager.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(Files.exists(io.ipckit.core.internal.manager.ManagerLayout.directoryOf(line[2])));
        }
    }

    /**
     * Sharp edge 5: a program that starts a server, prints its address and detaches ends, and so do the
     * pipes of its output and error output (the server holds neither), while the server serves on.
     */
    @Test
    @Timeout(120)
    void serverStarterWithPipedOutput_endsAndItsPipesReachEof_serverServesOnUntilShutdown() throws Exception {
        Process starter = JvmLauncher.forMain(ServerStarterMain.class).jvmOptions("-XX:TieredStopAtLevel=1").start();
        CompletableFuture<String> out = readToEnd(starter.getInputStream());
        CompletableFuture<String> err = readToEnd(starter.getErrorStream());
        String[] line = null;
        try {
            String stdout = out.get(60, TimeUnit.SECONDS);
            line = stdout.lines().filter(l -> l.startsWith("MANAGER ")).findFirst().orElseThrow(
                    () -> new AssertionError("no MANAGER line: " + stdout)).split(" ");
            String stderr = err.get(30, TimeUnit.SECONDS);
            assertTrue(stderr.contains("starter: done"), stderr);
            assertTrue(starter.waitFor(30, TimeUnit.SECONDS), "the starter ended");
            assertEquals(0, starter.exitValue(), stderr);
            ProcessHandle manager = ProcessHandle.of(Long.parseLong(line[1])).orElseThrow();
            assertTrue(manager.isAlive(), "the detached server serves on");
            Manager m = Manager.connect(line[2]);
            try {
                assertEquals(starter.pid(), m.<String, Long>map("kept").get("by"), "with its objects");
            } finally {
                m.shutdown();
            }
            manager.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(Files.exists(io.ipckit.core.internal.manager.ManagerLayout.directoryOf(line[2])),
                    "shut down, it removed its space");
        } finally {
            starter.destroyForcibly();
            if (line == null) {
                line = out.getNow("").lines().filter(l -> l.startsWith("MANAGER ")).findFirst().orElse("- -1 -")
                        .split(" ");
            }
            stopForcibly(line); // the server is no descendant of this JVM once its starter has ended
        }
    }

    @Test
    @Timeout(90)
    void detach_serverStartedHere_keepsServingWithItsObjects_untilConnectShutdown() throws Exception {
        Manager m = Manager.builder().server(true).start();
        String address = m.address();
        ProcessHandle manager = ProcessHandle.of(m.pid()).orElseThrow();
        try {
            m.map("kept").put("k", 1);
            m.detach();
            m.detach(); // idempotent
            m.close(); // a no-op now: it does not stop the manager
            assertThrows(IllegalStateException.class, () -> m.map("kept"), "this object is closed");
            assertTrue(manager.isAlive());
            try (Manager again = Manager.connect(address)) {
                assertEquals(1, again.<String, Integer>map("kept").get("k"), "its objects are still there");
            }
            Manager.connect(address).shutdown();
            manager.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(Files.exists(m.directory()));
        } finally {
            manager.destroyForcibly();
            manager.onExit().get(10, TimeUnit.SECONDS);
            deleteRecursively(m.directory());
        }
    }

    @Test
    void detach_embeddedManager_isRefusedNamingTheAlternative_managerGoesOn() {
        try (Manager m = Manager.embedded()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, m::detach);
            assertTrue(e.getMessage().contains("server(true)") && e.getMessage().contains("embedded"), e.getMessage());
            m.map("still").put("ok", 1);
            assertEquals(1, m.<String, Integer>map("still").get("ok"));
        }
    }

    /** A server's error output goes to its log, but a failure to start still reaches its starter. */
    @Test
    @Timeout(90)
    void serverThatFailsToStart_startReportsItsErrorOutput() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Manager.builder().server(true).jvmOptions("-XX:+NoSuchIpckitOption").start());
        assertTrue(e.getMessage().contains("NoSuchIpckitOption") && e.getMessage().contains("exited"), e.getMessage());
    }

    /** Sharp edge 5: {@code kill PID} (SIGTERM) ends a manager, which removes its space as shutdown does. */
    @Test
    @Timeout(90)
    void sigterm_managerRemovesItsSpace_durableOneKeepsItsDirectory() throws Exception {
        Manager m = Manager.start();
        ProcessHandle manager = ProcessHandle.of(m.pid()).orElseThrow();
        Path dir = m.directory();
        m.queue("q").offer("x");
        assertTrue(manager.destroy(), "SIGTERM sent");
        manager.onExit().get(20, TimeUnit.SECONDS);
        assertFalse(Files.exists(dir), "the space left /dev/shm with its manager");
        m.close();

        Path durable = work.resolve("durable");
        Manager d = Manager.builder().directory(durable).start();
        d.queue("q").offer("kept");
        ProcessHandle durableManager = ProcessHandle.of(d.pid()).orElseThrow();
        assertTrue(durableManager.destroy());
        durableManager.onExit().get(20, TimeUnit.SECONDS);
        d.close();
        assertTrue(Files.isDirectory(durable), "a durable space keeps its directory");
        try (Manager again = Manager.builder().directory(durable).start()) {
            assertEquals("kept", again.<String>queue("q").poll(), "and a later manager recovers it");
        }
    }

    private static CompletableFuture<String> readToEnd(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (Exception e) {
                text.completeExceptionally(e);
            }
        }, "test-pipe-reader");
        t.setDaemon(true);
        t.start();
        return text;
    }

    private static void stopForcibly(String[] line) throws Exception {
        long pid = Long.parseLong(line[1]);
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
            deleteRecursively(io.ipckit.core.internal.manager.ManagerLayout.directoryOf(line[2]));
        }
    }

    private static String[] awaitManagerLine(Children children, Process owner) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (String l : children.logOf(owner).split("\\R")) {
                if (l.startsWith("MANAGER ")) {
                    return l.split(" ");
                }
            }
            assertTrue(owner.isAlive(), "the owner died early: " + children.logOf(owner));
            Thread.sleep(50);
        }
        throw new AssertionError("the owner did not start a manager: " + children.logOf(owner));
    }

    private static void kill9(long pid) throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
    }
}
