package io.ipckit.pool;

import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.pool.internal.PoolFiles;
import io.ipckit.pool.internal.WorkerSlots;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An idle pool's workers sleep on their doorbells and whatever the caller puts on the task channel wakes
 * them. The workers here sleep up to two minutes between checks of their own (their default is half a
 * second), so a task that is not rung for waits past the test's timeout instead of going unnoticed.
 */
class PoolIdleTest extends LeakCheckingTest {
    private static final String LONG_SLEEP = "-Dipckit.pool.doorbellSleepMillis=120000";

    private static Pool sleepyPool(int processes) {
        return TestPools.builder(processes).workerJvmOptions(LONG_SLEEP).build();
    }

    /** Waits until every worker of {@code pool} sleeps on its doorbell. */
    private static void awaitAllAsleep(Pool pool) throws InterruptedException {
        WorkerSlots slots = WorkerSlots.open(PoolFiles.slots(pool.directory()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            boolean all = true;
            for (int i = 0; i < slots.size(); i++) {
                all &= slots.sleeping(i);
            }
            if (all) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the idle workers went to sleep on their doorbells");
            Thread.sleep(10);
        }
    }

    @Test
    void apply_workerAsleepOnItsDoorbell_isWokenAndRunsTheTask() throws Exception {
        try (Pool pool = sleepyPool(1)) {
            assertEquals(2, pool.apply((Integer x) -> x + 1, 1));
            for (int round = 0; round < 3; round++) {
                awaitAllAsleep(pool);
                AsyncResult<Integer> r = pool.applyAsync((Integer x) -> x * 10, round);
                assertEquals(round * 10, r.get(Duration.ofSeconds(30)), "the ring woke the sleeping worker");
            }
        }
    }

    @Test
    void applyAsync_twoTasksToTwoSleepingWorkers_wakesBothAndTheyOverlap() throws Exception {
        try (Pool pool = sleepyPool(2)) {
            pool.map((Integer x) -> x, List.of(1, 2, 3, 4), 1);
            awaitAllAsleep(pool);
            List<AsyncResult<long[]>> rs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                rs.add(pool.applyAsync((Integer x) -> Tasks.stamped(x, 1500), i));
            }
            long[] a = rs.get(0).get(Duration.ofSeconds(30));
            long[] b = rs.get(1).get(Duration.ofSeconds(30));
            assertNotEquals(a[1], b[1], "two workers ran them");
            assertTrue(a[2] < b[3] && b[2] < a[3], "both workers were woken: the tasks overlapped in time");
        }
    }

    @Test
    void apply_oneSleepingWorkerKilled_theOtherIsWokenForTheNextTask() throws Exception {
        try (Pool pool = sleepyPool(2)) {
            pool.map((Integer x) -> x, List.of(1, 2, 3, 4), 1);
            awaitAllAsleep(pool);
            List<Long> before = pool.workerPids();
            long victim = before.get(0);
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (pool.workerPids().contains(victim)) {
                assertTrue(System.nanoTime() < deadline, "the pool noticed the death of " + victim);
                Thread.sleep(10);
            }
            long pid = pool.applyAsync((Integer x) -> Tasks.pid(), 0).get(Duration.ofSeconds(30));
            assertNotEquals(victim, pid, "a live worker ran it");
        }
    }

    @Test
    void close_workersAsleep_stopMessagesWakeThemAndJoinReturns() throws Exception {
        Pool pool = sleepyPool(2);
        try {
            pool.apply((Integer x) -> x, 1);
            awaitAllAsleep(pool);
        } finally {
            pool.close();
        }
        CompletableFuture<Void> joined = CompletableFuture.runAsync(() -> {
            try {
                pool.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // well under the 20 s after which a closing pool kills workers that did not take their stop message
        joined.get(10, TimeUnit.SECONDS);
        assertTrue(pool.workerPids().isEmpty(), "the workers exited");
    }
}
