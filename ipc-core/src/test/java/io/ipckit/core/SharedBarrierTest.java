package io.ipckit.core;

import io.ipckit.core.test.EmbeddedManagerTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract of {@link SharedBarrier}, threads of one JVM against an embedded manager. */
class SharedBarrierTest extends EmbeddedManagerTest {
    private void awaitWaiting(SharedBarrier b, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (b.getNumberWaiting() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(n, b.getNumberWaiting());
    }

    @Test
    void defaultTimeout_awaitAlonePastIt_breaksTheBarrierAsPythonsWait() throws Exception {
        SharedBarrier b = m.barrier("default-timeout", 2, java.time.Duration.ofMillis(300));
        long t0 = System.nanoTime();
        java.util.concurrent.BrokenBarrierException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.BrokenBarrierException.class, b::await);
        long ms = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        org.junit.jupiter.api.Assertions.assertTrue(ms >= 250 && ms < 10_000, ms + " ms");
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("300 ms") && e.getMessage().contains("reset()"),
                e.getMessage());
        org.junit.jupiter.api.Assertions.assertTrue(b.isBroken());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> m.barrier("default-timeout", 2, java.time.Duration.ofMillis(-1)));
        b.reset();
        org.junit.jupiter.api.Assertions.assertFalse(m.barrier("default-timeout", 2).isBroken());
    }

    @Test
    void await_threeParties_tripTogether_withArrivalIndexes_twice() throws Exception {
        SharedBarrier b = m.barrier("three", 3);
        assertEquals(3, b.getParties());
        for (int round = 0; round < 2; round++) {
            List<Future<Integer>> fs = new ArrayList<>();
            fs.add(pool.submit(() -> b.await()));
            awaitWaiting(b, 1);
            fs.add(pool.submit(() -> b.await(20, TimeUnit.SECONDS)));
            awaitWaiting(b, 2);
            Thread.sleep(300); // the first two wait across more than one slice
            assertFalse(fs.get(0).isDone());
            fs.add(pool.submit(() -> b.await()));
            List<Integer> indexes = new ArrayList<>();
            for (Future<Integer> f : fs) {
                indexes.add(f.get(10, TimeUnit.SECONDS));
            }
            assertEquals(List.of(0, 1, 2), indexes, "0 for the first arrival, as in Python");
            assertEquals(0, b.getNumberWaiting());
            assertFalse(b.isBroken());
        }
    }

    @Test
    void await_timesOut_breaksTheBarrierForEveryone_untilReset() throws Exception {
        SharedBarrier b = m.barrier("late", 3);
        Future<Integer> patient = pool.submit(() -> b.await(20, TimeUnit.SECONDS));
        awaitWaiting(b, 1);
        long t0 = System.nanoTime();
        TimeoutException timeout = assertThrows(TimeoutException.class, () -> b.await(300, TimeUnit.MILLISECONDS));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(millis >= 300 && millis < 10_000, "timed out after " + millis + " ms");
        assertTrue(timeout.getMessage().contains("'late'"), timeout.getMessage());
        ExecutionException e = assertThrows(ExecutionException.class, () -> patient.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof BrokenBarrierException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("timed out"), e.getCause().getMessage());
        assertTrue(b.isBroken());
        assertThrows(BrokenBarrierException.class, () -> b.await(1, TimeUnit.SECONDS));
        b.reset();
        assertFalse(b.isBroken());
        SharedBarrier one = m.barrier("one", 1);
        assertEquals(0, one.await(0, TimeUnit.SECONDS), "a single party trips at once");
    }

    @Test
    void reset_whileThreadsWait_breaksThem_andLeavesTheBarrierUsable() throws Exception {
        SharedBarrier b = m.barrier("reset", 2);
        Future<Integer> waiter = pool.submit(() -> b.await());
        awaitWaiting(b, 1);
        b.reset();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof BrokenBarrierException, String.valueOf(e.getCause()));
        assertFalse(b.isBroken());
        Future<Integer> second = pool.submit(() -> b.await());
        awaitWaiting(b, 1);
        assertEquals(1, b.await(10, TimeUnit.SECONDS));
        assertEquals(0, second.get(10, TimeUnit.SECONDS));
    }

    @Test
    void abort_breaksTheBarrier_interruptBreaksItToo() throws Exception {
        SharedBarrier b = m.barrier("abort", 2);
        b.abort();
        assertTrue(b.isBroken());
        BrokenBarrierException e = assertThrows(BrokenBarrierException.class, () -> b.await());
        assertTrue(e.getMessage().contains("aborted"), e.getMessage());
        b.reset();
        Thread waiter = new Thread(() -> {
            try {
                b.await();
            } catch (InterruptedException | BrokenBarrierException expected) {
                // checked below through isBroken
            }
        }, "test-barrier-waiter");
        waiter.start();
        awaitWaiting(b, 1);
        waiter.interrupt();
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
        assertTrue(b.isBroken(), "an interrupted waiter breaks the barrier");
    }

    @Test
    void barrier_badArguments_areRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.barrier("none", 0));
        assertTrue(e.getMessage().contains("parties"), e.getMessage());
        m.barrier("two", 2);
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> m.barrier("two", 3));
        assertTrue(other.getMessage().contains("2") && other.getMessage().contains("3"), other.getMessage());
        assertEquals(2, m.barrier("two", 2).getParties());
    }
}
