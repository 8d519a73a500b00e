package io.ipckit.core;

import io.ipckit.core.test.HandleChildMain;
import io.ipckit.core.test.EmbeddedManagerTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract of {@link SharedLock} (plain and reentrant), threads of one JVM against an embedded manager. */
class SharedLockTest extends EmbeddedManagerTest {
    @Test
    void lock_fourThreads_excludeEachOther() throws Exception {
        SharedLock lock = m.lock("counter");
        int[] counter = {0};
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            fs.add(pool.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    lock.lock();
                    try {
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        int v = counter[0];
                        Thread.yield();
                        counter[0] = v + 1;
                        inside.decrementAndGet();
                    } finally {
                        lock.unlock();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertEquals(0, overlaps.get());
        assertEquals(400, counter[0]);
        assertFalse(lock.isLocked());
    }

    @Test
    void rlock_reentrantHolds_areCountedPerOwner() throws Exception {
        SharedLock lock = m.rlock("r");
        assertTrue(lock.isReentrant());
        lock.lock();
        assertTrue(lock.tryLock());
        assertEquals(2, lock.getHoldCount());
        assertTrue(lock.isHeldByCurrentThread());
        assertFalse(pool.submit(() -> lock.tryLock()).get(10, TimeUnit.SECONDS));
        assertEquals(0, (int) pool.submit(lock::getHoldCount).get(10, TimeUnit.SECONDS));
        lock.unlock();
        assertFalse(pool.submit(() -> lock.tryLock()).get(10, TimeUnit.SECONDS), "one hold left");
        lock.unlock();
        assertFalse(lock.isHeldByCurrentThread());
        assertTrue(pool.submit(() -> {
            boolean got = lock.tryLock();
            lock.unlock();
            return got;
        }).get(10, TimeUnit.SECONDS), "free after the last unlock");
    }

    @Test
    void lock_plainLockTakenAgainByItsOwner_waits() throws Exception {
        SharedLock lock = m.lock("plain");
        lock.lock();
        assertFalse(lock.tryLock(), "a plain lock is not reentrant");
        assertFalse(lock.tryLock(300, TimeUnit.MILLISECONDS));
        assertEquals(1, lock.getHoldCount());
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void tryLock_heldElsewhere_returnsFalseAfterTheTimeout() throws Exception {
        SharedLock lock = m.lock("busy");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Future<?> holder = pool.submit(() -> {
            lock.lock();
            held.countDown();
            done.await();
            lock.unlock();
            return null;
        });
        assertTrue(held.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        assertFalse(lock.tryLock(600, TimeUnit.MILLISECONDS), "spans more than one wait slice");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(millis >= 600, "returned after " + millis + " ms");
        assertTrue(millis < 10_000, "returned after " + millis + " ms");
        assertFalse(lock.tryLock(0, TimeUnit.SECONDS));
        done.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertTrue(lock.tryLock(5, TimeUnit.SECONDS), "granted once the holder unlocked");
        lock.unlock();
    }

    @Test
    void lock_waitsAcrossSlices_untilTheHolderUnlocks() throws Exception {
        SharedLock lock = m.lock("long");
        lock.lock();
        Future<Boolean> waiter = pool.submit(() -> {
            lock.lock();
            boolean mine = lock.isHeldByCurrentThread();
            lock.unlock();
            return mine;
        });
        Thread.sleep(700);
        assertFalse(waiter.isDone());
        assertEquals(1, lock.getQueueLength());
        lock.unlock();
        assertTrue(waiter.get(10, TimeUnit.SECONDS));
    }

    @Test
    void unlock_byNonOwner_isRefusedNamingTheLock_andTheLockStaysUsable() throws Exception {
        SharedLock lock = m.rlock("owned");
        IllegalMonitorStateException notHeld = assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertTrue(notHeld.getMessage().contains("owned"), notHeld.getMessage());
        lock.lock();
        Future<?> other = pool.submit(() -> {
            lock.unlock();
            return null;
        });
        Exception e = assertThrows(Exception.class, () -> other.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalMonitorStateException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("'owned'"), e.getCause().getMessage());
        assertTrue(lock.isHeldByCurrentThread(), "still held by its owner");
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void lockInterruptibly_interrupted_throwsWithoutTheLock() throws Exception {
        SharedLock lock = m.lock("intr");
        lock.lock();
        AtomicReference<String> outcome = new AtomicReference<>("running");
        Thread waiter = new Thread(() -> {
            try {
                lock.lockInterruptibly();
                outcome.set("acquired");
            } catch (InterruptedException e) {
                outcome.set("interrupted");
            }
        }, "test-waiter");
        waiter.start();
        Thread.sleep(400);
        assertEquals("running", outcome.get());
        waiter.interrupt();
        waiter.join(10_000);
        assertEquals("interrupted", outcome.get());
        lock.unlock();
        assertTrue(pool.submit(() -> {
            boolean got = lock.tryLock(5, TimeUnit.SECONDS);
            lock.unlock();
            return got;
        }).get(10, TimeUnit.SECONDS), "the interrupted waiter did not take the lock");
        assertEquals(0, lock.getQueueLength());
    }

    @Test
    void lock_interrupted_keepsWaiting_andReassertsTheInterrupt() throws Exception {
        SharedLock lock = m.lock("stubborn");
        lock.lock();
        CountDownLatch started = new CountDownLatch(1);
        Thread[] waiterThread = new Thread[1];
        Future<Boolean> waiter = pool.submit(() -> {
            waiterThread[0] = Thread.currentThread();
            started.countDown();
            lock.lock();
            boolean interrupted = Thread.currentThread().isInterrupted();
            lock.unlock();
            return interrupted;
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Thread.sleep(200);
        waiterThread[0].interrupt();
        Thread.sleep(400);
        assertFalse(waiter.isDone(), "lock() is not interruptible");
        lock.unlock();
        assertTrue(waiter.get(10, TimeUnit.SECONDS), "the interrupt is re-asserted");
    }

    @Test
    void unlock_byAnInterruptedThread_stillReleases_andKeepsTheInterrupt() {
        SharedLock lock = m.lock("finally");
        lock.lock();
        Thread.currentThread().interrupt();
        try {
            lock.unlock();
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertFalse(lock.isLocked());
    }

    @Test
    void open_existingLockWithOtherReentrancy_isRefusedNamingBoth() {
        m.lock("kind");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.rlock("kind"));
        assertTrue(e.getMessage().contains("plain lock") && e.getMessage().contains("reentrant lock"),
                e.getMessage());
        assertTrue(m.lock("kind").tryLock(), "still usable");
    }

    @Test
    void newCondition_isRefusedPointingToManagerCondition() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> m.rlock("c").newCondition());
        assertTrue(e.getMessage().contains("manager.condition"), e.getMessage());
    }

    @Test
    void handle_decodedFromItsBytes_isTheSameLock() throws Exception {
        SharedLock lock = m.rlock("travels");
        byte[] bytes = Base64.getDecoder().decode(HandleChildMain.encode(lock));
        SharedLock copy = (SharedLock) Codec.defaults().decode(bytes, 0, bytes.length);
        assertEquals("travels", copy.name());
        assertTrue(copy.isReentrant());
        lock.lock();
        assertTrue(copy.isHeldByCurrentThread());
        copy.unlock();
        assertFalse(lock.isLocked());
    }
}
