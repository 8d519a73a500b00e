package io.ipckit.pool;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The failures of the issue's list, with real kills of real worker JVMs: the pool never hangs. */
class PoolFailureTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    void workerKilledMidTask_taskFailsNamingPid_poolBackToFullSize_otherTasksUnaffected() throws Exception {
        try (Pool pool = TestPools.create(3)) {
            List<Long> before = pool.workerPids();
            String file = work.resolve("victim").toString();
            AsyncResult<Long> victim = pool.applyAsync((String f) -> Tasks.announceAndSleep(f, 30_000), file);
            List<AsyncResult<long[]>> others = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                others.add(pool.applyAsync(Tasks::stamped, i, 200L));
            }
            long pid = Long.parseLong(Tasks.await(Path.of(file), 30_000));
            Tasks.kill9(pid);

            ExecutionException e = assertThrows(ExecutionException.class, () -> victim.get(30, TimeUnit.SECONDS));
            WorkerCrashedException crash = assertInstanceOf(WorkerCrashedException.class, e.getCause());
            assertEquals(pid, crash.pid());
            assertEquals(137, crash.exitStatus());
            assertTrue(crash.getMessage().contains("pid " + pid) && crash.getMessage().contains("SIGKILL"),
                    crash.getMessage());
            for (AsyncResult<long[]> r : others) {
                assertTrue(r.get(30, TimeUnit.SECONDS)[1] > 0, "other tasks complete normally");
            }
            List<Long> after = awaitFullSize(pool, pid);
            assertEquals(3, after.size());
            assertFalse(after.contains(pid));
            assertTrue(after.containsAll(before.stream().filter(p -> p != pid).collect(Collectors.toList())));
            // three tasks that each wait for the others: they complete only when three different workers,
            // the replacement included, took one each (however long the replacement takes to boot)
            String meet = Files.createDirectory(work.resolve("meet")).toString();
            Set<Long> ran = new TreeSet<>(pool.map((Integer x) -> Tasks.rendezvous(meet, 3), List.of(1, 2, 3), 1));
            assertEquals(new TreeSet<>(after), ran, "all three workers, the replacement included, take tasks");
        }
    }

    @Test
    void workerEndedWithSigterm_itsTaskFailsOnceAsACrash_andItTakesNoNewTask() throws Exception {
        try (io.ipckit.core.Manager m = io.ipckit.core.Manager.embedded(); Pool pool = TestPools.create(1)) {
            io.ipckit.core.SharedEvent never = m.event("never"); // its waits are requests to the manager
            String file = work.resolve("victim").toString();
            AsyncResult<String> victim = pool.applyAsync((String f) -> awaitNothing(never, f), file);
            AsyncResult<Long> next = pool.applyAsync(Tasks::pid);
            long pid = Long.parseLong(Tasks.await(Path.of(file), 30_000));
            ProcessHandle.of(pid).orElseThrow().destroy(); // SIGTERM, what Python's terminate() sends

            ExecutionException e = assertThrows(ExecutionException.class, () -> victim.get(30, TimeUnit.SECONDS));
            WorkerCrashedException crash = assertInstanceOf(WorkerCrashedException.class, e.getCause(),
                    "the task died with its worker, it did not fail on its own: " + e.getCause());
            assertEquals(pid, crash.pid());
            assertEquals(143, crash.exitStatus());
            long ranOn = next.get(60, TimeUnit.SECONDS);
            assertTrue(ranOn != pid, "the queued task ran on the replacement, not on the dying worker");
        }
    }

    @Test
    void workerEndedWithSigterm_whileItsExitRuns_takesNoNewTask() throws Exception {
        try (Pool pool = TestPools.create(1)) {
            String file = work.resolve("short").toString();
            AsyncResult<String> victim = pool.applyAsync((String f) -> finishDuringExit(f), file);
            AsyncResult<Long> next = pool.applyAsync(Tasks::pid);
            long pid = Long.parseLong(Tasks.await(Path.of(file), 30_000));
            ProcessHandle.of(pid).orElseThrow().destroy(); // SIGTERM while the task still runs

            assertEquals("done", victim.get(30, TimeUnit.SECONDS), "it ended within the exit: its result counts, once");
            long ranOn = next.get(60, TimeUnit.SECONDS);
            assertTrue(ranOn != pid, "the queued task ran on the replacement, not on the worker going away");
        }
    }

    /**
     * Writes its pid to {@code file}, then ends half a second later; its shutdown hook (a library's, say)
     * keeps the JVM's exit going for two seconds, so a SIGTERM'd worker is still alive when this returns.
     */
    static String finishDuringExit(String file) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Tasks.sleep(2_000)));
        Tasks.write(Path.of(file), Long.toString(Tasks.pid()));
        Tasks.sleep(500);
        return "done";
    }

    /**
     * A task that waits on a manager event nobody sets, after writing its pid to {@code file}. It also
     * registers a shutdown hook that takes a second, as a library flushing its logs would: the worker's
     * exit then lasts long enough for a dying worker to fail this task and claim the next one.
     */
    static String awaitNothing(io.ipckit.core.SharedEvent event, String file) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Tasks.sleep(1_000)));
        Tasks.write(Path.of(file), Long.toString(Tasks.pid()));
        try {
            return "event set: " + event.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Test
    void idleWorkerKilled_isReplacedAndNothingIsLost() throws Exception {
        try (Pool pool = TestPools.create(2)) {
            long pid = pool.workerPids().get(0);
            Tasks.kill9(pid);
            List<Long> after = awaitFullSize(pool, pid);
            assertEquals(2, after.size());
            assertEquals(List.of(0, 1, 4, 9), pool.map((Integer x) -> x * x, List.of(0, 1, 2, 3), 1));
        }
    }

    @Test
    void cancelWithInterrupt_runningTask_killsAndReplacesItsWorker() throws Exception {
        try (Pool pool = TestPools.create(1)) {
            String file = work.resolve("running").toString();
            AsyncResult<Long> running = pool.applyAsync((String f) -> Tasks.announceAndSleep(f, 60_000), file);
            long pid = Long.parseLong(Tasks.await(Path.of(file), 30_000));
            assertTrue(running.cancel(true));
            List<Long> after = awaitFullSize(pool, pid);
            assertEquals(1, after.size());
            assertFalse(after.contains(pid), "the worker running the cancelled task was replaced");
            assertEquals(6, (int) pool.apply((Integer x) -> x, 6));
        }
    }

    @Test
    void systemExitInTask_failsWithWorkerCrashedExceptionAndPoolGoesOn() throws Exception {
        try (Pool pool = TestPools.create(1)) {
            WorkerCrashedException e = assertThrows(WorkerCrashedException.class, () -> pool.apply(() -> {
                System.exit(7);
                return 0;
            }));
            assertEquals(7, e.exitStatus());
            assertTrue(e.getMessage().contains("System.exit(7)"), e.getMessage());
            assertEquals(3, (int) pool.apply((Integer x) -> x, 3), "a replacement worker runs the next task");
        }
    }

    @Test
    void outOfMemoryInWorker_failsWithWorkerCrashedExceptionNamingIt() throws Exception {
        try (Pool pool = TestPools.builder(1).workerJvmOptions("-Xmx32m").build()) {
            WorkerCrashedException e = assertThrows(WorkerCrashedException.class, () -> pool.apply(Tasks::exhaustHeap));
            assertTrue(e.getMessage().contains("OutOfMemoryError") && e.getMessage().contains("-Xmx"), e.getMessage());
            assertEquals(4, (int) pool.apply((Integer x) -> x, 4));
        }
    }

    @Test
    void taskPastTimeout_failsWithTimeoutException_workerReplaced() throws Exception {
        try (Pool pool = TestPools.builder(1).taskTimeout(Duration.ofMillis(700)).build()) {
            long pid = pool.workerPids().get(0);
            long t0 = System.nanoTime();
            AsyncResult<Long> stuck = pool.applyAsync(() -> {
                Tasks.sleep(60_000);
                return 1L;
            });
            ExecutionException e = assertThrows(ExecutionException.class, () -> stuck.get(30, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("700 ms"), e.getCause().getMessage());
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 20);
            assertEquals(5, (int) pool.apply((Integer x) -> x, 5));
            assertFalse(pool.workerPids().contains(pid), "the stuck worker was replaced");
        }
    }

    @Test
    void initializerThrows_poolBreaksQuicklyWithThatException_tasksFailWithIt() throws Exception {
        long t0 = System.nanoTime();
        try (Pool pool = TestPools.builder(2).initializer(() -> {
            throw new IllegalStateException("bad configuration");
        }).build()) {
            AsyncResult<Integer> early = pool.applyAsync(() -> 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.awaitReady(Duration.ofSeconds(30)));
            assertEquals("bad configuration", e.getMessage());
            assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getClassName().contains("WorkerMain")),
                    "the worker's stack trace is kept");
            assertTrue(Arrays.stream(e.getSuppressed()).anyMatch(s -> s.getMessage().contains("starting pool")),
                    "the caller's call site is attached");
            Exception failed = assertThrows(Exception.class, () -> early.get(30, TimeUnit.SECONDS));
            assertTrue(causes(failed).contains("bad configuration"), "a task submitted before the failure fails with it: "
                    + causes(failed));
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> pool.apply(() -> 2));
            assertTrue(refused.getMessage().contains("bad configuration"), refused.getMessage());
        }
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 30);
    }

    @Test
    void startupTimeoutPasses_poolBreaksNamingTheTimeout_neverHangs() throws Exception {
        try (Pool pool = TestPools.builder(1).startupTimeout(Duration.ofMillis(1_500)).initializer(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).build()) {
            AsyncResult<Integer> waiting = pool.applyAsync(() -> 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.awaitReady(Duration.ofSeconds(30)));
            assertTrue(e.getMessage().contains("raise startupTimeout") && e.getMessage().contains("1500 ms"), e.getMessage());
            Exception failed = assertThrows(Exception.class, () -> waiting.get(30, TimeUnit.SECONDS));
            assertTrue(causes(failed).contains("raise startupTimeout"), causes(failed));
        }
    }

    @Test
    @Timeout(120)
    void replacementsKilledBeforeReady_poolStopsReplacingThemAfterFive_neverRespawnsForEver() throws Exception {
        String gate = work.resolve("init-waits").toString();
        // a worker booting while the gate exists stays in its initializer, so it is not ready when killed
        try (Pool pool = TestPools.builder(1).initializer(() -> {
            while (Files.exists(Path.of(gate))) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }).build()) {
            pool.awaitReady(Duration.ofSeconds(60));
            long first = pool.workerPids().get(0);
            Files.createFile(Path.of(gate));
            Set<Long> killed = new TreeSet<>(List.of(first));
            Tasks.kill9(first);
            ProcessHandle.of(first).ifPresent(p -> p.onExit().join());
            AsyncResult<Integer> waiting = pool.applyAsync(() -> 1); // no worker is ready to run it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!waiting.isDone() && System.nanoTime() < deadline) {
                // workers only: not a JDK spawn helper that has yet to become one, nor a kill command
                for (ProcessHandle p : ProcessHandle.current().children().collect(Collectors.toList())) {
                    if (p.info().command().orElse("").endsWith("/java") && killed.add(p.pid())) {
                        Tasks.kill9(p.pid());
                    }
                }
                Thread.sleep(20);
            }
            assertTrue(waiting.isDone(), "the pool stopped replacing killed workers within 90 s; killed " + killed);
            assertTrue(killed.contains(first));
            assertEquals(1 + 5, killed.size(), "the ready worker, then five replacements killed before ready: "
                    + killed);
            Exception failed = assertThrows(Exception.class, () -> waiting.get(30, TimeUnit.SECONDS));
            assertTrue(causes(failed).contains("5 replacement workers in a row were killed with SIGKILL"),
                    causes(failed));
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> pool.apply(() -> 2));
            assertTrue(refused.getMessage().contains("SIGKILL"), refused.getMessage());
        }
    }

    private static String causes(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append(" <- ");
        }
        return sb.toString();
    }

    @Test
    void retries_taskWhoseWorkerDiedRunsAgain() throws Exception {
        try (Pool pool = TestPools.builder(1).retries(1).build()) {
            String marker = work.resolve("first-attempt").toString();
            String result = pool.apply((String m) -> {
                if (!Files.exists(Path.of(m))) {
                    Tasks.write(Path.of(m), "died");
                    Runtime.getRuntime().halt(9);
                }
                return "second attempt";
            }, marker);
            assertEquals("second attempt", result);
        }
    }

    @Test
    void maxTasksPerWorker_workerReplacedAfterThatManyTasks() throws Exception {
        try (Pool pool = TestPools.builder(1).maxTasksPerWorker(2).build()) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                pids.add(pool.apply(Tasks::pid));
            }
            assertEquals(3, new TreeSet<>(pids).size(), pids.toString());
            assertEquals(pids.get(0), pids.get(1));
            assertEquals(pids.get(2), pids.get(3));
        }
    }

    @Test
    @Timeout(90)
    void ownerKilledWithSigkill_workersGoneWithinSeconds() throws Exception {
        try (Children children = new Children(work)) {
            java.lang.Process owner = children.start(PoolOwnerMain.class);
            List<Long> pids = null;
            long deadline = System.currentTimeMillis() + 60_000;
            while (pids == null && System.currentTimeMillis() < deadline) {
                for (String line : children.logOf(owner).split("\\R")) {
                    if (line.startsWith("workers=")) {
                        pids = Arrays.stream(line.substring(8).split(",")).map(Long::parseLong).collect(Collectors.toList());
                    }
                }
                Thread.sleep(50);
            }
            assertTrue(pids != null && pids.size() == 2, "the owner reported its workers: " + children.logOf(owner));
            Tasks.kill9(owner.pid());
            long killedAt = System.nanoTime();
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(h -> {
                    try {
                        h.onExit().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError("worker " + pid + " outlived its owner by 10 s", e);
                    }
                });
            }
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertTrue(took < 5_000, "workers outlived their owner by " + took + " ms");
        }
        // LeakCheckingTest also checks that the workers removed the pool's space directory
    }

    private static List<Long> awaitFullSize(Pool pool, long gone) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 40_000;
        List<Long> pids = pool.workerPids();
        while ((pids.size() < pool.size() || pids.contains(gone)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            pids = pool.workerPids();
        }
        return pids;
    }

    /** Child JVM: owns a pool of 2, one worker busy, prints the worker pids, waits to be killed. */
    public static final class PoolOwnerMain {
        public static void main(String[] args) throws Exception {
            Pool pool = Pool.builder().processes(2).build().awaitReady(Duration.ofSeconds(60));
            pool.applyAsync(() -> {
                Tasks.sleep(120_000);
                return 0;
            });
            System.out.println("workers=" + pool.workerPids().stream().map(String::valueOf)
                    .collect(Collectors.joining(",")));
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
