package io.ipckit.core;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.SyncChildMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.ipckit.core.test.HandleChildMain.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Locks, semaphores, events and barriers shared by real JVMs, one of them killed with {@code kill -9}. */
@Timeout(60)
class SharedSyncMultiProcessTest extends LeakCheckingTest {
    @TempDir
    Path work;

    private static void awaitLog(Children children, Process p, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!children.logOf(p).contains(text)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("child " + p.pid() + " did not print " + text + "; log:\n"
                        + children.logOf(p));
            }
            Thread.sleep(20);
        }
    }

    private static void kill9(Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    }

    @Test
    void lock_guardsAReadModifyWriteAcrossTwoJvms() throws Exception {
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            SharedLock lock = m.lock("counter-lock");
            SharedMap<String, Integer> map = m.map("counter");
            map.put("n", 0);
            List<Process> ps = List.of(
                    children.start(SyncChildMain.class, "count", encode(lock), encode(map)),
                    children.start(SyncChildMain.class, "count", encode(lock), encode(map)));
            for (Process p : ps) {
                assertEquals(0, children.await(p, 50), children.logOf(p));
            }
            assertEquals(400, map.get("n"));
            assertFalse(lock.isLocked());
        }
    }

    /**
     * An unlock by the holder does not wait for the manager's reply (a one-way request), yet a process told
     * of it by another path (a queue, which does not go through the manager) finds the lock free at once:
     * every request, from any process, is behind the release in the manager's one request channel.
     */
    @Test
    void unlockByTheHolder_isSeenByAnotherJvmSignalledAfterIt() throws Exception {
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            SharedLock lock = m.rlock("signalled");
            SharedQueue<Integer> go = m.queue("go");
            SharedQueue<Boolean> ack = m.queue("ack");
            Process p = children.start(SyncChildMain.class, "trylock-after-signal", encode(lock), encode(go),
                    encode(ack));
            for (int i = 0; i < 300; i++) {
                lock.lock();
                if (i % 3 == 0) {
                    lock.lock(); // reentrant: two holds, two releases
                    lock.unlock();
                }
                lock.unlock();
                go.put(i);
                Boolean got = ack.poll(30, TimeUnit.SECONDS);
                assertEquals(Boolean.TRUE, got, "round " + i + ": the child's tryLock after the signal; log:\n"
                        + children.logOf(p));
            }
            go.put(-1);
            assertEquals(0, children.await(p, 30), children.logOf(p));
            assertFalse(lock.isLocked());
            assertThrows(IllegalMonitorStateException.class, lock::unlock, "no hold left: the manager refuses");
        }
    }

    @Test
    void unlockByTheHolder_afterTheManagersKill_failsAsManagerGone() throws Exception {
        try (Manager m = Manager.start()) {
            SharedLock lock = m.lock("orphaned");
            lock.lock();
            ProcessHandle manager = ProcessHandle.of(m.pid()).orElseThrow();
            assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(m.pid())).start().waitFor());
            manager.onExit().get(10, TimeUnit.SECONDS);
            // past the client's last look at the manager: a one-way request looks at most every CHECK_NANOS
            Thread.sleep(2 * TimeUnit.NANOSECONDS.toMillis(io.ipckit.core.internal.manager.client.ManagerWatch.CHECK_NANOS));
            ManagerGoneException e = assertThrows(ManagerGoneException.class, lock::unlock);
            assertTrue(e.getMessage().contains("gone"), e.getMessage());
        }
    }

    @Test
    void holderKilled_lockAndPermitAreReleased() throws Exception {
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            SharedLock lock = m.lock("held");
            SharedSemaphore permit = m.semaphore("permit", 1);
            Process p = children.start(SyncChildMain.class, "hold", encode(lock), encode(permit));
            awaitLog(children, p, "HELD");
            assertFalse(lock.tryLock());
            assertEquals(0, permit.availablePermits());
            kill9(p);
            assertTrue(lock.tryLock(5, TimeUnit.SECONDS), "the dead holder's lock is granted to the next waiter");
            assertTrue(permit.tryAcquire(5, TimeUnit.SECONDS), "the dead holder's permit is returned");
            lock.unlock();
            permit.release();
            assertEquals(1, permit.availablePermits());
        }
    }

    @Test
    void event_setInOneJvm_wakesAWaiterInAnother() throws Exception {
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            SharedEvent event = m.event("go");
            Process p = children.start(SyncChildMain.class, "event-wait", encode(event));
            awaitLog(children, p, "WAITING");
            Thread.sleep(300);
            assertTrue(p.isAlive(), children.logOf(p));
            event.set();
            assertEquals(0, children.await(p, 30), children.logOf(p));
            assertTrue(children.logOf(p).contains("EVENT true"), children.logOf(p));
        }
    }

    @Test
    void barrier_twoJvmsAndThisThread_tripTogether() throws Exception {
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            SharedBarrier barrier = m.barrier("meet", 3);
            List<Process> ps = List.of(
                    children.start(SyncChildMain.class, "barrier", encode(barrier)),
                    children.start(SyncChildMain.class, "barrier", encode(barrier)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (barrier.getNumberWaiting() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(2, barrier.getNumberWaiting());
            assertEquals(2, barrier.await(10, TimeUnit.SECONDS), "this thread arrives last");
            StringBuilder indexes = new StringBuilder();
            for (Process p : ps) {
                assertEquals(0, children.await(p, 30), children.logOf(p));
                indexes.append(children.logOf(p));
            }
            assertTrue(indexes.toString().contains("INDEX 0") && indexes.toString().contains("INDEX 1"),
                    indexes.toString());
        }
    }

    @Test
    void barrierPartyKilled_breaksTheBarrierForTheOthers() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            SharedBarrier barrier = m.barrier("doomed", 3);
            Process p = children.start(SyncChildMain.class, "barrier", encode(barrier));
            awaitLog(children, p, "ARRIVING");
            Future<Integer> waiter = pool.submit(() -> barrier.await(30, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (barrier.getNumberWaiting() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(2, barrier.getNumberWaiting());
            kill9(p);
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof BrokenBarrierException, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().contains("pid " + p.pid()), e.getCause().getMessage());
            assertTrue(barrier.isBroken());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
