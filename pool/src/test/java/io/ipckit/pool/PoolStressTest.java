package io.ipckit.pool;

import io.ipckit.core.Channel;
import io.ipckit.core.Space;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool under load and under repeated kills of its workers. Every task records its run on a channel
 * ({@link Tasks#recordRun}), so a task run twice shows, as does a result delivered twice or lost. The
 * default run is a bounded form; {@code -Dipckit.test.groups=stress} runs the long forms, sized by
 * {@code -Dipckit.stress.tasks} (default 100,000) and {@code -Dipckit.stress.kills} (default 40).
 */
class PoolStressTest extends LeakCheckingTest {
    private static final int SUBMITTERS = 4;

    @Test
    @Timeout(180)
    void fourSubmittingThreads_boundedRun_everyTaskRunsOnceAndEveryResultArrivesOnce() throws Exception {
        submitFromFourThreads(10_000);
    }

    @Test
    @Tag("stress")
    @Timeout(3600)
    void fourSubmittingThreads_stressRun_everyTaskRunsOnceAndEveryResultArrivesOnce() throws Exception {
        submitFromFourThreads(Integer.getInteger("ipckit.stress.tasks", 100_000));
    }

    private void submitFromFourThreads(int tasks) throws Exception {
        int perThread = tasks / SUBMITTERS;
        int total = perThread * SUBMITTERS;
        AtomicIntegerArray callbacks = new AtomicIntegerArray(total);
        long t0 = System.nanoTime();
        try (Space space = Space.create(); Pool pool = TestPools.create(2)) {
            Channel<Integer> ran = space.channel("ran");
            String dir = space.directory().toString();
            List<List<AsyncResult<Integer>>> results = new ArrayList<>();
            AtomicReference<Throwable> submitFailure = new AtomicReference<>();
            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < SUBMITTERS; t++) {
                List<AsyncResult<Integer>> mine = new ArrayList<>(perThread);
                results.add(mine);
                int first = t * perThread;
                Thread submitter = new Thread(() -> {
                    try {
                        for (int id = first; id < first + perThread; id++) {
                            int expected = id * 3;
                            int slot = id;
                            mine.add(pool.applyAsync(Tasks::recordRun, dir, id, r -> {
                                if (r == expected) {
                                    callbacks.incrementAndGet(slot);
                                }
                            }, e -> { }));
                        }
                    } catch (Throwable e) {
                        submitFailure.set(e);
                    }
                }, "submitter-" + t);
                submitters.add(submitter);
                submitter.start();
            }
            for (Thread s : submitters) {
                s.join(TimeUnit.SECONDS.toMillis(120));
                assertTrue(!s.isAlive(), s.getName() + " finished submitting");
            }
            assertEquals(null, submitFailure.get());
            for (int t = 0; t < SUBMITTERS; t++) {
                for (int i = 0; i < perThread; i++) {
                    int id = t * perThread + i;
                    assertEquals(id * 3, results.get(t).get(i).get(60, TimeUnit.SECONDS), "result of task " + id);
                }
            }
            AtomicIntegerArray runs = new AtomicIntegerArray(total);
            for (int i = 0; i < total; i++) {
                Integer id = ran.poll(30, TimeUnit.SECONDS);
                assertTrue(id != null, "only " + i + " of " + total + " runs recorded");
                assertEquals(1, runs.incrementAndGet(id), "task " + id + " ran twice");
            }
            assertEquals(null, ran.poll(200, TimeUnit.MILLISECONDS), "no task ran more than once");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int i = 0; i < total; i++) {
                while (callbacks.get(i) == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(1); // callbacks run on the result thread, after get() may return
                }
                assertEquals(1, callbacks.get(i), "callbacks of task " + i);
            }
            System.out.printf("PoolStressTest: %,d tasks from %d threads on 2 workers in %.1f s%n", total,
                    SUBMITTERS, (System.nanoTime() - t0) / 1e9);
        }
    }

    @Test
    @Timeout(240)
    void workersKilledRepeatedlyUnderLoad_boundedRun_everyTaskEnds_poolBackToFullSize() throws Exception {
        killWorkersUnderLoad(1_000, 4);
    }

    @Test
    @Tag("stress")
    @Timeout(3600)
    void workersKilledRepeatedlyUnderLoad_stressRun_everyTaskEnds_poolBackToFullSize() throws Exception {
        int kills = Integer.getInteger("ipckit.stress.kills", 40);
        killWorkersUnderLoad(kills * 250, kills);
    }

    /**
     * A pool of 3 runs {@code tasks} short tasks while a killer thread {@code kill -9}s a random worker
     * {@code kills} times: every task ends, with its result or a {@link WorkerCrashedException} naming a
     * killed worker; no task runs twice; the pool is back to 3 workers and serves.
     */
    private void killWorkersUnderLoad(int tasks, int kills) throws Exception {
        Set<Long> killed = ConcurrentHashMap.newKeySet();
        try (Space space = Space.create(); Pool pool = TestPools.create(3)) {
            Channel<Integer> ran = space.channel("ran");
            String dir = space.directory().toString();
            List<AsyncResult<Integer>> results = new ArrayList<>();
            AtomicReference<Throwable> killerFailure = new AtomicReference<>();
            Thread killer = new Thread(() -> {
                try {
                    while (killed.size() < kills) {
                        Thread.sleep(250 + ThreadLocalRandom.current().nextInt(250));
                        List<Long> pids = pool.workerPids();
                        if (pids.isEmpty()) {
                            continue;
                        }
                        long victim = pids.get(ThreadLocalRandom.current().nextInt(pids.size()));
                        if (killed.add(victim)) {
                            Tasks.kill9(victim);
                        }
                    }
                } catch (Throwable e) {
                    killerFailure.set(e);
                }
            }, "killer");
            killer.start();
            int i = 0;
            while (i < tasks || killer.isAlive()) { // keep the pool loaded until every kill is done
                results.add(pool.applyAsync((String d, Integer id) -> {
                    Tasks.sleep(2);
                    return Tasks.recordRun(d, id);
                }, dir, i++));
                if (results.size() % 200 == 0) {
                    results.get(results.size() - 200).waitFor(java.time.Duration.ofSeconds(60));
                }
            }
            killer.join(TimeUnit.MINUTES.toMillis(10));
            assertEquals(null, killerFailure.get());

            int ok = 0;
            int crashed = 0;
            for (int id = 0; id < results.size(); id++) {
                try {
                    assertEquals(id * 3, results.get(id).get(60, TimeUnit.SECONDS));
                    ok++;
                } catch (ExecutionException e) {
                    WorkerCrashedException crash = assertInstanceOf(WorkerCrashedException.class, e.getCause(),
                            "task " + id + " failed otherwise: " + e.getCause());
                    assertTrue(killed.contains(crash.pid()), "the crash names a killed worker: " + crash.pid());
                    crashed++;
                }
            }
            assertEquals(results.size(), ok + crashed);
            assertTrue(crashed <= kills, crashed + " tasks failed for " + kills + " kills");
            Set<Integer> recorded = new TreeSet<>();
            for (Integer id = ran.poll(); id != null; id = ran.poll(500, TimeUnit.MILLISECONDS)) {
                assertTrue(recorded.add(id), "task " + id + " ran twice");
            }
            assertTrue(recorded.size() >= ok, "every successful task's run was recorded");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<Long> pids = pool.workerPids();
            while ((pids.size() < 3 || pids.stream().anyMatch(killed::contains)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
                pids = pool.workerPids();
            }
            assertEquals(3, pids.size(), "back to full size: " + pids);
            assertTrue(pids.stream().noneMatch(killed::contains), "no killed worker listed: " + pids);
            assertEquals(List.of(0, 2, 4, 6, 8, 10), pool.map((Integer x) -> 2 * x, List.of(0, 1, 2, 3, 4, 5), 1));
            System.out.printf("PoolStressTest: %d kills, %,d tasks: %,d results, %,d WorkerCrashedException%n",
                    killed.size(), results.size(), ok, crashed);
        }
    }
}
