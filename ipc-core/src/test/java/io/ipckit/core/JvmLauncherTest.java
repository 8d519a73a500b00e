package io.ipckit.core;

import io.ipckit.core.internal.ChildMain;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmLauncherTest extends LeakCheckingTest {
    @TempDir
    Path work;

    /** Child main: prints whether the ipckit flags are in effect and its arguments. */
    public static final class PrintFlags {
        public static void main(String[] args) {
            System.out.println("flags=" + io.ipckit.core.internal.JvmFlags.presentInThisJvm()
                    + " analytics=" + System.getProperty("chronicle.analytics.disable")
                    + " args=" + String.join(",", args));
        }
    }

    /** Child main: throws. */
    public static final class Throws {
        public static void main(String[] args) {
            throw new IllegalStateException("boom in child");
        }
    }

    /** Child main: starts a grandchild that sleeps, prints its pid, then sleeps itself. */
    public static final class StartsGrandchild {
        public static void main(String[] args) throws Exception {
            Process grandchild = JvmLauncher.forMain(Sleeps.class).start();
            System.out.println("grandchild=" + grandchild.pid());
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    /** Child main: sleeps for a minute. */
    public static final class Sleeps {
        public static void main(String[] args) throws Exception {
            Thread.sleep(60_000);
        }
    }

    @Test
    @Timeout(60)
    void parentKilledWithSigkill_childHaltsWithinSeconds() throws Exception {
        try (Children children = new Children(work)) {
            Process parent = children.start(StartsGrandchild.class);
            long grandchildPid = -1;
            long deadline = System.currentTimeMillis() + 30_000;
            while (grandchildPid < 0 && System.currentTimeMillis() < deadline) {
                for (String line : children.logOf(parent).split("\\R")) {
                    if (line.startsWith("grandchild=")) {
                        grandchildPid = Long.parseLong(line.substring("grandchild=".length()).trim());
                    }
                }
                Thread.sleep(50);
            }
            assertTrue(grandchildPid > 0, "the child reported its own child: " + children.logOf(parent));
            ProcessHandle grandchild = ProcessHandle.of(grandchildPid).orElseThrow();
            assertTrue(grandchild.isAlive());
            Runtime.getRuntime().exec(new String[] {"kill", "-9", Long.toString(parent.pid())}).waitFor();
            long killedAt = System.nanoTime();
            grandchild.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - killedAt) / 1_000_000;
            assertTrue(tookMillis < 5_000, "the orphan lived " + tookMillis + " ms after its parent");
        }
    }

    @Test
    void requiredJvmFlags_containChronicleOpensAndAnalyticsSwitch() {
        List<String> flags = JvmLauncher.requiredJvmFlags();
        assertTrue(flags.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), flags.toString());
        assertTrue(flags.contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED"), flags.toString());
        assertTrue(flags.contains("-Dchronicle.analytics.disable=true"), flags.toString());
        assertTrue(flags.contains("--enable-native-access=ALL-UNNAMED"), flags.toString());
        assertEquals(Runtime.version().feature() >= 24, flags.contains("--sun-misc-unsafe-memory-access=allow"),
                "JDK " + Runtime.version().feature() + ": " + flags);
    }

    @Test
    void start_childGetsFlagsAndArgumentsWithoutAskingForThem() throws Exception {
        try (Children children = new Children(work)) {
            Process p = children.start(PrintFlags.class, "a", "b c");
            assertEquals(0, children.await(p, 30));
            assertTrue(children.logOf(p).contains("flags=true analytics=true args=a,b c"), children.logOf(p));
        }
    }

    @Test
    void start_childMainThrows_exitsWithStatusOneAndPrintsTheException() throws Exception {
        try (Children children = new Children(work)) {
            Process p = children.start(Throws.class);
            assertEquals(1, children.await(p, 30));
            assertTrue(children.logOf(p).contains("boom in child"), children.logOf(p));
        }
    }

    @Test
    void command_includesParentWatchUnlessDisabled() {
        assertTrue(JvmLauncher.forMain(PrintFlags.class).command().stream()
                .anyMatch(a -> a.startsWith("-D" + ChildMain.PARENT_PID + "=")));
        assertTrue(JvmLauncher.forMain(PrintFlags.class).dieWithParent(false).command().stream()
                .noneMatch(a -> a.startsWith("-D" + ChildMain.PARENT_PID + "=")));
    }

    @Test
    void forMain_blankName_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> JvmLauncher.forMain(" "));
    }
}
