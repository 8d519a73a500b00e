package io.ipckit.pool;

import io.ipckit.core.SerializableCallable;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The executor contract, in JCTools' manner (one abstract suite, a subclass per implementation): what
 * {@link Pool} and {@link ProcessPoolExecutor} share with {@link java.util.concurrent.ExecutorService}, seen
 * through {@link Exec}, a small view each subclass maps onto its executor's own verbs. Tasks run in worker
 * JVMs. Tests that end an executor get a fresh one ({@link #fresh()}, one worker); the others share the
 * class's ({@link #shared()}, made in the subclass's {@code @BeforeAll}), so the suite starts few JVMs.
 */
abstract class ExecutorContract extends LeakCheckingTest {
    @TempDir
    Path work;

    /** The executor verbs both implementations have, under ExecutorService's names. */
    interface Exec {
        <T> Future<T> submit(SerializableCallable<T> task);

        /** Stops accepting tasks; queued ones still run (it may also wait for them). */
        void shutdown();

        /** Stops at once: unfinished tasks fail with CancellationException. The not-started count, or -1. */
        int shutdownNow();

        boolean awaitTermination(Duration timeout) throws InterruptedException;

        boolean isShutdown();

        boolean isTerminated();

        /** Shuts down and waits until terminated; idempotent. */
        void close();

        int size();

        default <T> List<Future<T>> invokeAll(List<SerializableCallable<T>> tasks, Duration timeout)
                throws InterruptedException {
            throw new UnsupportedOperationException();
        }

        default <T> T invokeAny(List<SerializableCallable<T>> tasks) throws InterruptedException, ExecutionException {
            throw new UnsupportedOperationException();
        }
    }

    /** The class's executor, all workers ready; tests must leave it running and idle. */
    protected abstract Exec shared();

    /** A new executor of one ready worker, which the test ends. */
    protected abstract Exec fresh() throws Exception;

    /** What a submission to an executor that is shut down throws. */
    protected abstract Class<? extends RuntimeException> rejection();

    /** Whether it has invokeAll and invokeAny. */
    protected boolean hasInvoke() {
        return false;
    }

    // ------------------------------------------------------------------ submit, results, failures

    @Test
    void submit_manyTasks_everyResultComputedInAWorker() throws Exception {
        List<Future<long[]>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            futures.add(shared().submit(() -> new long[] {(long) n * n, Tasks.pid()}));
        }
        long me = ProcessHandle.current().pid();
        for (int i = 0; i < 40; i++) {
            long[] r = futures.get(i).get(30, TimeUnit.SECONDS);
            assertEquals((long) i * i, r[0]);
            assertNotEquals(me, r[1], "ran in a worker JVM");
            assertTrue(futures.get(i).isDone());
            assertFalse(futures.get(i).isCancelled());
        }
    }

    @Test
    void submit_taskThrows_getWrapsItsExceptionInExecutionException_executorGoesOn() throws Exception {
        Future<Integer> f = shared().submit(() -> Tasks.failIfOdd(7));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals("odd input 7", e.getCause().getMessage());
        assertTrue(f.isDone());
        assertEquals(40, shared().submit(() -> Tasks.failIfOdd(4)).get(30, TimeUnit.SECONDS));
    }

    @Test
    void submit_null_refusedWithNullPointerException() {
        assertThrows(NullPointerException.class, () -> shared().submit(null));
    }

    @Test
    void timedGet_whileRunning_throwsTimeoutException_thenTheResultArrives() throws Exception {
        Future<Long> f = shared().submit(() -> {
            Tasks.sleep(1_000);
            return 7L;
        });
        assertThrows(TimeoutException.class, () -> f.get(50, TimeUnit.MILLISECONDS));
        assertFalse(f.isDone());
        assertEquals(7L, f.get(30, TimeUnit.SECONDS));
    }

    @Test
    void cancel_beforeStart_taskNeverRuns_getThrowsCancellation() throws Exception {
        List<Future<Long>> blockers = new ArrayList<>();
        for (int i = 0; i < shared().size(); i++) {
            blockers.add(shared().submit(() -> {
                Tasks.sleep(1_000);
                return 1L;
            }));
        }
        String marker = work.resolve("ran").toString();
        Future<Integer> queued = shared().submit(() -> {
            Tasks.write(Path.of(marker), "ran");
            return 1;
        });
        assertTrue(queued.cancel(false));
        assertTrue(queued.isCancelled());
        assertTrue(queued.isDone());
        assertThrows(CancellationException.class, queued::get);
        for (Future<Long> b : blockers) {
            assertEquals(1L, b.get(30, TimeUnit.SECONDS));
        }
        assertEquals(3, shared().submit(() -> 3).get(30, TimeUnit.SECONDS), "the workers went past it");
        assertFalse(Files.exists(Path.of(marker)), "a task cancelled before it started never runs");
    }

    // ------------------------------------------------------------------ invokeAll, invokeAny

    @Test
    void invokeAll_resultsInTaskOrder_failuresInTheirFutures() throws Exception {
        assumeTrue(hasInvoke(), "no invokeAll");
        List<SerializableCallable<Integer>> three = List.of(() -> 100, () -> Tasks.failIfOdd(1), () -> 102);
        List<Future<Integer>> all = shared().invokeAll(three, Duration.ofSeconds(30));
        assertEquals(100, all.get(0).get());
        assertInstanceOf(IllegalArgumentException.class,
                assertThrows(ExecutionException.class, () -> all.get(1).get()).getCause());
        assertEquals(102, all.get(2).get());
    }

    /** On a fresh executor: cancelling a running task kills its worker, which the shared one must keep. */
    @Test
    void invokeAll_withTimeout_taskStillRunningAtTheDeadlineIsCancelled() throws Exception {
        assumeTrue(hasInvoke(), "no invokeAll");
        Exec ex = fresh();
        try {
            List<SerializableCallable<Integer>> oneLate = List.of(() -> 1, () -> {
                Tasks.sleep(20_000);
                return 2;
            });
            List<Future<Integer>> timed = ex.invokeAll(oneLate, Duration.ofMillis(1_500));
            assertEquals(1, timed.get(0).get());
            assertTrue(timed.get(1).isCancelled(), "the task still running at the deadline was cancelled");
            assertEquals(Integer.valueOf(3), ex.submit(() -> 3).get(30, TimeUnit.SECONDS), "the executor goes on");
        } finally {
            ex.close();
        }
    }

    /**
     * On a fresh executor: once one task wins, invokeAny cancels the others with interrupt, and a loser
     * still running then has its worker killed (seen on JDK 25: the shared executor's worker was replaced,
     * a new child JVM the next tests took for a leak).
     */
    @Test
    void invokeAny_firstSuccessWins_allFailing_throwsExecutionException() throws Exception {
        assumeTrue(hasInvoke(), "no invokeAny");
        Exec ex = fresh();
        try {
            List<SerializableCallable<Integer>> oneWins = List.of(() -> Tasks.failIfOdd(1), () -> 42);
            assertEquals(Integer.valueOf(42), ex.invokeAny(oneWins));
            List<SerializableCallable<Integer>> allFail = List.of(() -> Tasks.failIfOdd(1), () -> Tasks.failIfOdd(3));
            ExecutionException e = assertThrows(ExecutionException.class, () -> ex.invokeAny(allFail));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
        } finally {
            ex.close();
        }
    }

    // ------------------------------------------------------------------ lifecycle (fresh executors)

    @Test
    void shutdown_queuedTasksFinish_newOnesRejected_terminates() throws Exception {
        Exec ex = fresh();
        try {
            List<Future<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                queued.add(ex.submit(() -> {
                    Tasks.sleep(100);
                    return n;
                }));
            }
            assertFalse(ex.isShutdown());
            ex.shutdown();
            assertTrue(ex.isShutdown());
            RuntimeException refused = assertThrows(rejection(), () -> ex.submit(() -> 1));
            assertTrue(refused.getMessage() != null && !refused.getMessage().isEmpty(), "says why");
            assertTrue(ex.awaitTermination(Duration.ofSeconds(30)));
            assertTrue(ex.isTerminated());
            for (int i = 0; i < 3; i++) {
                assertEquals(i, queued.get(i).get(), "queued before shutdown, so it ran");
            }
        } finally {
            ex.close();
        }
    }

    @Test
    void shutdownNow_runningAndQueuedTasksFailWithCancellation_withoutWaitingForThem() throws Exception {
        Exec ex = fresh();
        try {
            Future<Long> running = ex.submit(() -> {
                Tasks.sleep(30_000);
                return 1L;
            });
            List<Future<Long>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                queued.add(ex.submit(Tasks::pid));
            }
            Tasks.sleep(300);
            long t0 = System.nanoTime();
            int notStarted = ex.shutdownNow();
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20), "did not wait for the 30 s task");
            assertTrue(notStarted == -1 || notStarted == 3, "not started: " + notStarted);
            assertTrue(ex.isShutdown());
            assertTrue(ex.awaitTermination(Duration.ofSeconds(30)));
            assertTrue(ex.isTerminated());
            assertThrows(CancellationException.class, () -> running.get(10, TimeUnit.SECONDS));
            for (Future<Long> f : queued) {
                assertThrows(CancellationException.class, () -> f.get(10, TimeUnit.SECONDS));
            }
            assertThrows(rejection(), () -> ex.submit(() -> 1));
        } finally {
            ex.close();
        }
    }

    @Test
    void close_waitsForQueuedTasks_isIdempotent_thenRejects() throws Exception {
        Exec ex = fresh();
        Future<Integer> queued = ex.submit(() -> {
            Tasks.sleep(300);
            return 9;
        });
        ex.close();
        assertTrue(queued.isDone(), "close waited for the queued task");
        assertEquals(9, queued.get());
        assertTrue(ex.isTerminated());
        ex.close();
        assertThrows(rejection(), () -> ex.submit(() -> 1));
    }
}
