package io.ipckit.core;

import io.ipckit.core.test.EmbeddedManagerTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract of {@link SharedCondition}, threads of one JVM against an embedded manager. */
class SharedConditionTest extends EmbeddedManagerTest {
    @Test
    void await_releasesEveryHold_andSignalGivesThemBack() throws Exception {
        SharedLock lock = m.rlock("state-lock");
        SharedCondition ready = m.condition("ready", "state-lock");
        SharedMap<String, Boolean> state = m.map("state");
        CountDownLatch waiting = new CountDownLatch(1);
        Future<Integer> waiter = pool.submit(() -> {
            lock.lock();
            lock.lock();
            try {
                waiting.countDown();
                while (!state.getOrDefault("ready", false)) {
                    assertTrue(ready.await(20, TimeUnit.SECONDS));
                }
                return lock.getHoldCount();
            } finally {
                lock.unlock();
                lock.unlock();
            }
        });
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "await released both holds");
        try {
            state.put("ready", true);
            ready.signal();
            Thread.sleep(200);
            assertFalse(waiter.isDone(), "the woken waiter needs the lock back first");
        } finally {
            lock.unlock();
        }
        assertEquals(2, waiter.get(10, TimeUnit.SECONDS), "both holds are back after await");
        assertFalse(lock.isLocked());
    }

    @Test
    void await_withoutSignal_returnsFalseAfterTheTimeout_holdingTheLock() throws Exception {
        SharedLock lock = m.rlock("l");
        SharedCondition c = m.condition("c", "l");
        lock.lock();
        try {
            long t0 = System.nanoTime();
            assertFalse(c.await(400, TimeUnit.MILLISECONDS));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(millis >= 400 && millis < 10_000, "returned after " + millis + " ms");
            assertTrue(lock.isHeldByCurrentThread());
            assertTrue(c.awaitNanos(TimeUnit.MILLISECONDS.toNanos(50)) <= 0);
            assertFalse(c.await(0, TimeUnit.SECONDS));
            assertEquals(1, lock.getHoldCount());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void signalAll_wakesEveryWaiter() throws Exception {
        SharedLock lock = m.rlock("all-lock");
        SharedCondition c = m.condition("all", "all-lock");
        CountDownLatch waiting = new CountDownLatch(3);
        List<Future<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(pool.submit(() -> {
                lock.lock();
                try {
                    waiting.countDown();
                    return c.await(20, TimeUnit.SECONDS);
                } finally {
                    lock.unlock();
                }
            }));
        }
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        // each waiter counted down holding the lock, so once we hold it they all wait
        lock.lock();
        try {
            c.signalAll();
        } finally {
            lock.unlock();
        }
        for (Future<Boolean> w : waiters) {
            assertTrue(w.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void awaitAndSignal_withoutTheLock_areRefused() throws Exception {
        m.rlock("free");
        SharedCondition c = m.condition("needs-lock", "free");
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class,
                () -> c.await(1, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("'free'") && e.getMessage().contains("needs-lock"), e.getMessage());
        assertThrows(IllegalMonitorStateException.class, c::signal);
        assertThrows(IllegalMonitorStateException.class, c::signalAll);
    }

    @Test
    void condition_withoutAReentrantLock_isRefused() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> m.condition("c1", "nope"));
        assertTrue(missing.getMessage().contains("'nope'") && missing.getMessage().contains("rlock"),
                missing.getMessage());
        m.lock("plain");
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> m.condition("c2", "plain"));
        assertTrue(plain.getMessage().contains("plain lock"), plain.getMessage());
        m.map("amap");
        assertThrows(IllegalArgumentException.class, () -> m.condition("c3", "amap"));
        assertThrows(IllegalArgumentException.class, () -> m.condition("c4", null));
        m.rlock("r1");
        m.rlock("r2");
        m.condition("c5", "r1");
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> m.condition("c5", "r2"));
        assertTrue(other.getMessage().contains("r1") && other.getMessage().contains("r2"), other.getMessage());
        assertEquals("r1", m.condition("c5", "r1").lockName());
    }
}
