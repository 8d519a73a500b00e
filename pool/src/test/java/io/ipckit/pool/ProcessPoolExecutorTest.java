package io.ipckit.pool;

import io.ipckit.core.SerializationException;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is particular to {@link ProcessPoolExecutor}; the executor contract is {@link ProcessPoolExecutorContractTest}. */
class ProcessPoolExecutorTest extends LeakCheckingTest {
    @TempDir
    Path work;

    /** An executor with every worker ready: these tests count workers and queued tasks. */
    private static ProcessPoolExecutor executor(int n) throws Exception {
        ProcessPoolExecutor executor = TestPools.builder(n).buildExecutor();
        try {
            return executor.awaitReady(java.time.Duration.ofSeconds(50));
        } catch (Exception e) {
            executor.shutdownNow();
            throw e;
        }
    }

    /** Seed 003, ways 1 and 3: submit 20 tasks, collect futures, done-callbacks see every result. */
    @Test
    void submit_futuresAndDoneCallbacks_seeEveryResult() throws Exception {
        List<Long> viaCallback = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ProcessPoolExecutor pool = executor(3)) {
            List<CompletableFuture<long[]>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                CompletableFuture<long[]> f = pool.submit(() -> {
                    Tasks.sleep(100);
                    return new long[] {(long) n * n, Tasks.pid()};
                });
                f.whenComplete((v, e) -> viaCallback.add(v[0]));
                futures.add(f);
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
            Set<Long> pids = new TreeSet<>();
            for (int i = 0; i < 20; i++) {
                long[] r = futures.get(i).get();
                assertEquals((long) i * i, r[0]);
                pids.add(r[1]);
            }
            assertEquals(3, pids.size(), "three workers ran them: " + pids);
            assertEquals(20, viaCallback.size());
            assertTrue(pool.isTerminated());
        }
    }

    @Test
    void submit_runnableAndFailingCallable_futuresCarryTheOutcome() throws Exception {
        try (ProcessPoolExecutor pool = executor(1)) {
            String file = work.resolve("ran").toString();
            assertNull(pool.submit(() -> Tasks.write(Path.of(file), "x")).get(30, TimeUnit.SECONDS));
            assertTrue(Files.exists(Path.of(file)));
            assertEquals("done", pool.submit(() -> Tasks.sleep(1), "done").get(30, TimeUnit.SECONDS));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pool.submit(() -> Tasks.failIfOdd(7)).get(30, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertEquals("failIfOdd", e.getCause().getStackTrace()[0].getMethodName());
        }
    }

    @Test
    void submit_nonSerializableCallable_isRefusedAtSubmit() throws Exception {
        try (ProcessPoolExecutor pool = executor(1)) {
            Callable<Integer> plain = () -> 1;
            SerializationException e = assertThrows(SerializationException.class, () -> pool.submit(plain));
            assertTrue(e.getMessage().contains("Serializable"), e.getMessage());
            assertEquals(2, pool.submit(() -> 2).get(30, TimeUnit.SECONDS));
        }
    }

    /** A task class that forgot {@code implements Serializable}. */
    static final class PlainCallable implements Callable<Integer> {
        @Override
        public Integer call() {
            return 1;
        }
    }

    static final class PlainRunnable implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void submit_classNotSerializable_isRefusedAtSubmitNamingClassAndFix_executorGoesOn() throws Exception {
        try (ProcessPoolExecutor pool = executor(1)) {
            for (org.junit.jupiter.api.function.Executable submit : List.<org.junit.jupiter.api.function.Executable>of(
                    () -> pool.submit(new PlainCallable()),
                    () -> pool.submit(new PlainRunnable()),
                    () -> pool.submit(new PlainRunnable(), "r"),
                    () -> pool.execute(new PlainRunnable()),
                    () -> pool.invokeAll(List.of(new PlainCallable())),
                    () -> pool.invokeAny(List.of(new PlainCallable())))) {
                SerializationException e = assertThrows(SerializationException.class, submit);
                assertTrue(e.getMessage().contains("Plain") && e.getMessage().contains("implement java.io.Serializable"),
                        e.getMessage());
            }
            assertEquals(2, pool.submit(() -> 2).get(30, TimeUnit.SECONDS), "the executor goes on");
        }
    }

    @Test
    void executorCompletionService_runsSerializableTasksInWorkers_inCompletionOrder() throws Exception {
        try (ProcessPoolExecutor pool = executor(2)) {
            java.util.concurrent.CompletionService<Long> ecs = new java.util.concurrent.ExecutorCompletionService<>(pool);
            Future<Long> slow = ecs.submit((io.ipckit.core.SerializableCallable<Long>) () -> {
                Tasks.sleep(1_500);
                return -1L;
            });
            Future<Long> fast = ecs.submit((io.ipckit.core.SerializableCallable<Long>) Tasks::pid);
            Future<Long> failing = ecs.submit((io.ipckit.core.SerializableCallable<Long>) () -> (long) Tasks.failIfOdd(1));
            Future<Long> ran = ecs.submit((io.ipckit.core.SerializableRunnable) () -> Tasks.sleep(1), 7L);
            Set<Future<Long>> firstThree = new java.util.HashSet<>();
            for (int i = 0; i < 3; i++) {
                firstThree.add(ecs.poll(30, TimeUnit.SECONDS));
            }
            assertEquals(Set.of(fast, failing, ran), firstThree, "the slow task completes last");
            assertTrue(pool.workerPids().contains(fast.get()), "it ran in a worker JVM: " + fast.get());
            assertEquals(7L, ran.get());
            ExecutionException e = assertThrows(ExecutionException.class, failing::get);
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertEquals(slow, ecs.poll(30, TimeUnit.SECONDS));
            assertEquals(-1L, slow.get());
            assertNull(ecs.poll());

            Callable<Long> plain = () -> 1L;
            SerializationException bad = assertThrows(SerializationException.class, () -> ecs.submit(plain));
            assertTrue(bad.getMessage().contains("Serializable"), bad.getMessage());
            assertEquals(2L, ecs.submit((io.ipckit.core.SerializableCallable<Long>) () -> 2L).get(30, TimeUnit.SECONDS),
                    "the service goes on after a refused task");
            pool.shutdown();
            assertThrows(RejectedExecutionException.class,
                    () -> ecs.submit((io.ipckit.core.SerializableCallable<Long>) () -> 3L));
        }
    }

    @Test
    void execute_foreignWrapperOfATask_isRefusedNamingWhatToUse() throws Exception {
        try (ProcessPoolExecutor pool = executor(1)) {
            java.util.concurrent.FutureTask<Integer> wrapper = new java.util.concurrent.FutureTask<>(
                    (io.ipckit.core.SerializableCallable<Integer>) () -> 1);
            SerializationException e = assertThrows(SerializationException.class, () -> pool.execute(wrapper));
            assertTrue(e.getMessage().contains("FutureTask") && e.getMessage().contains("CompletableFuture")
                    && e.getMessage().contains("ExecutorCompletionService"), e.getMessage());
            assertEquals(3, pool.submit(() -> 3).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void shutdownCancellingPending_runningTaskFinishes_pendingOnesAreCancelled() throws Exception {
        ProcessPoolExecutor pool = executor(1);
        String file = work.resolve("running").toString();
        CompletableFuture<Long> running = pool.submit(() -> Tasks.announceAndSleep(file, 1_000));
        List<CompletableFuture<Long>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(pool.submit(Tasks::pid));
        }
        long pid = Long.parseLong(Tasks.await(Path.of(file), 30_000));
        assertEquals(3, pool.shutdown(true), "the three queued tasks were cancelled");
        assertTrue(pool.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> pool.submit(Tasks::pid));
        assertEquals(pid, running.get(30, TimeUnit.SECONDS), "the running task finished, as Python's cancel_futures lets it");
        for (CompletableFuture<Long> f : queued) {
            assertThrows(CancellationException.class, () -> f.get(30, TimeUnit.SECONDS));
        }
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        pool.close();
    }

    @Test
    void build_withInitializerAndMaxTasks_behavesAsThePool() throws Exception {
        try (ProcessPoolExecutor pool = TestPools.builder(1).initializer(PoolTest.Init::set, "exec")
                .maxTasksPerWorker(1).buildExecutor()) {
            String first = pool.submit(() -> PoolTest.Init.value + Tasks.pid()).get(30, TimeUnit.SECONDS);
            String second = pool.submit(() -> PoolTest.Init.value + Tasks.pid()).get(30, TimeUnit.SECONDS);
            assertTrue(first.startsWith("exec") && second.startsWith("exec"), first + " " + second);
            assertFalse(first.equals(second), "each task ran in a new worker");
        }
    }
}
