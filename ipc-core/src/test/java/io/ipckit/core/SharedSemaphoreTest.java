package io.ipckit.core;

import io.ipckit.core.test.EmbeddedManagerTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract of {@link SharedSemaphore}, threads of one JVM against an embedded manager. */
class SharedSemaphoreTest extends EmbeddedManagerTest {
    @Test
    void semaphore_countsPermits() {
        SharedSemaphore s = m.semaphore("two", 2);
        assertEquals(2, s.availablePermits());
        assertTrue(s.tryAcquire());
        assertTrue(s.tryAcquire());
        assertFalse(s.tryAcquire());
        assertEquals(0, s.availablePermits());
        s.release();
        assertEquals(1, s.availablePermits());
        assertFalse(s.tryAcquire(2), "two at once need two free");
        s.release(3);
        assertEquals(4, s.availablePermits(), "an unbounded semaphore grows past its initial permits");
        assertTrue(s.tryAcquire(4));
        s.release(2);
        assertEquals(2, s.drainPermits());
        assertEquals(0, s.availablePermits());
    }

    @Test
    void acquire_blocksUntilAnotherThreadReleases() throws Exception {
        SharedSemaphore s = m.semaphore("gate", 0);
        CountDownLatch started = new CountDownLatch(1);
        Future<Integer> waiter = pool.submit(() -> {
            started.countDown();
            s.acquire(2);
            return s.availablePermits();
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        s.release();
        Thread.sleep(400);
        assertFalse(waiter.isDone(), "one permit is not enough for acquire(2)");
        s.release();
        assertEquals(0, waiter.get(10, TimeUnit.SECONDS));
    }

    @Test
    void semaphore_neverLetsMoreThanItsPermitsIn() throws Exception {
        SharedSemaphore s = m.semaphore("room", 2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Future<?>[] fs = new Future<?>[4];
        for (int t = 0; t < fs.length; t++) {
            fs[t] = pool.submit(() -> {
                for (int i = 0; i < 30; i++) {
                    s.acquire();
                    try {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.sleep(1);
                        inside.decrementAndGet();
                    } finally {
                        s.release();
                    }
                }
                return null;
            });
        }
        for (Future<?> f : fs) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertTrue(most.get() <= 2, "at most 2 inside, saw " + most.get());
        assertEquals(2, s.availablePermits());
    }

    @Test
    void tryAcquire_noPermit_returnsFalseAfterTheTimeout() throws Exception {
        SharedSemaphore s = m.semaphore("empty", 1);
        assertTrue(s.tryAcquire());
        long t0 = System.nanoTime();
        assertFalse(s.tryAcquire(1, 400, TimeUnit.MILLISECONDS));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(millis >= 400 && millis < 10_000, "returned after " + millis + " ms");
        s.release();
        assertTrue(s.tryAcquire(5, TimeUnit.SECONDS));
    }

    @Test
    void boundedSemaphore_releasedAboveItsInitialValue_isRefusedNamingIt() {
        SharedSemaphore s = m.boundedSemaphore("bounded", 2);
        assertTrue(s.isBounded());
        assertTrue(s.tryAcquire());
        s.release();
        IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
        assertTrue(e.getMessage().contains("'bounded'") && e.getMessage().contains("ValueError"), e.getMessage());
        assertEquals(2, s.availablePermits(), "unchanged by the refused release");
        IllegalArgumentException never = assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(3));
        assertTrue(never.getMessage().contains("never"), never.getMessage());
        assertTrue(s.tryAcquire(2), "still usable");
    }

    @Test
    void semaphore_badArguments_areRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.semaphore("neg", -1));
        assertTrue(e.getMessage().contains("permits"), e.getMessage());
        SharedSemaphore s = m.semaphore("three", 3);
        assertThrows(IllegalArgumentException.class, () -> s.release(-1));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-2));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> m.semaphore("three", 4));
        assertTrue(other.getMessage().contains("3") && other.getMessage().contains("4"), other.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.boundedSemaphore("three", 3));
        assertEquals(3, m.semaphore("three", 3).availablePermits());
    }
}
