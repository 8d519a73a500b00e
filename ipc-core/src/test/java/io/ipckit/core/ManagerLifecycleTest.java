package io.ipckit.core;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.ManagerOwnerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
