package io.ipckit.pool;

import io.ipckit.core.SerializationException;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessTest extends LeakCheckingTest {
    @TempDir
    Path work;

    private static <P extends Process> P quiet(P p) {
        p.output(ProcessBuilder.Redirect.appendTo(TestPools.WORKER_LOG));
        return p;
    }

    @Test
    void target_startJoin_runsInAChildJvmAndExitsZero() throws Exception {
        String file = work.resolve("out").toString();
        Process p = quiet(new Process(() -> Tasks.write(Path.of(file), Tasks.pid() + " " + Process.currentName())));
        assertTrue(p.name().startsWith("Process-"), p.name());
        assertNull(p.exitCode());
        assertFalse(p.isAlive());
        assertThrows(IllegalStateException.class, p::pid);
        p.start();
        long pid = p.pid();
        p.join();
        assertEquals(pid + " " + p.name(), Tasks.await(Path.of(file), 1000));
        assertEquals(0, p.exitCode());
        assertFalse(p.isAlive());
        assertThrows(IllegalStateException.class, p::start);
        assertEquals("MainProcess", Process.currentName());
    }

    @Test
    void runReturns_childWaitsForTheNonDaemonThreadsItStarted_asPythonAndPlainJavaDo() throws Exception {
        String file = work.resolve("late").toString();
        Process p = quiet(new Process(() -> {
            Thread t = new Thread(() -> {
                Tasks.sleep(500);
                Tasks.write(Path.of(file), "written after run() returned");
            });
            t.setDaemon(false);
            t.start();
        }));
        p.start();
        assertTrue(p.join(Duration.ofSeconds(30)));
        assertEquals(0, p.exitCode());
        assertEquals("written after run() returned", Tasks.await(Path.of(file), 100),
                "the child did not exit under its thread");
    }

    /** Seed 001: a subclass of Process overriding run(); its fields travel to the child. */
    @Test
    void subclass_overridingRun_runsWithItsFieldsInTheChild() throws Exception {
        String file = work.resolve("sub").toString();
        Writer p = quiet(new Writer(file, "hello from a subclass"));
        p.start();
        assertTrue(p.join(Duration.ofSeconds(30)));
        assertEquals(0, p.exitCode());
        assertEquals("hello from a subclass", Tasks.await(Path.of(file), 1000));
    }

    @Test
    void of_targetWithArgument_passesTheArgument() throws Exception {
        Path file = work.resolve("arg");
        Process p = quiet(Process.of((String f) -> Tasks.write(Path.of(f), "bob"), file.toString()));
        p.start();
        p.join();
        assertEquals("bob", Tasks.await(file, 1000));
    }

    @Test
    void exitCodes_followRunAndSignals() throws Exception {
        Process throwing = quiet(new Process(() -> {
            throw new IllegalStateException("boom in child");
        }));
        Process exiting = quiet(new Process(() -> System.exit(7)));
        Process terminated = quiet(new Process(() -> Tasks.sleep(60_000)));
        Process killed = quiet(new Process(() -> Tasks.sleep(60_000)));
        throwing.start();
        exiting.start();
        terminated.start();
        killed.start();
        assertFalse(terminated.join(Duration.ofMillis(300)));
        assertTrue(terminated.isAlive());
        terminated.terminate();
        killed.kill();
        for (Process p : new Process[] {throwing, exiting, terminated, killed}) {
            assertTrue(p.join(Duration.ofSeconds(30)), p + " exited");
        }
        assertEquals(1, throwing.exitCode());
        assertEquals(7, exiting.exitCode());
        assertEquals(143, terminated.exitCode());
        assertEquals(137, killed.exitCode());
    }

    @Test
    void start_unencodableTarget_isRefusedAndNothingStarts() {
        Thread notSendable = new Thread(() -> { });
        Process p = new Process(() -> notSendable.getName());
        assertThrows(SerializationException.class, p::start);
        assertFalse(p.isAlive());
        assertThrows(IllegalStateException.class, p::pid);
    }

    @Test
    @Timeout(90)
    void daemonChild_parentKilledWithSigkill_childGoneWithinSeconds() throws Exception {
        try (Children children = new Children(work)) {
            java.lang.Process owner = children.start(DaemonOwnerMain.class);
            long child = -1;
            long deadline = System.currentTimeMillis() + 60_000;
            while (child < 0 && System.currentTimeMillis() < deadline) {
                for (String line : children.logOf(owner).split("\\R")) {
                    if (line.startsWith("child=")) {
                        child = Long.parseLong(line.substring(6).trim());
                    }
                }
                Thread.sleep(50);
            }
            assertTrue(child > 0, children.logOf(owner));
            ProcessHandle handle = ProcessHandle.of(child).orElseThrow();
            Tasks.kill9(owner.pid());
            long t0 = System.nanoTime();
            handle.onExit().get(10, TimeUnit.SECONDS);
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 5000);
        }
    }

    /** Seed 001's myProcess: overrides run(). */
    public static final class Writer extends Process {
        private static final long serialVersionUID = 1L;
        private final String file;
        private final String text;

        Writer(String file, String text) {
            this.file = file;
            this.text = text;
        }

        @Override
        public void run() {
            Tasks.write(Path.of(file), text);
        }
    }

    /** Child JVM: starts a daemon Process that sleeps, prints its pid, sleeps. */
    public static final class DaemonOwnerMain {
        public static void main(String[] args) throws Exception {
            Process p = new Process(() -> Tasks.sleep(120_000)).daemon(true);
            p.start();
            System.out.println("child=" + p.pid());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
