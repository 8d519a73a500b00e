package io.ipckit.cluster;

import io.ipckit.cluster.test.Cluster;
import io.ipckit.core.Manager;
import io.ipckit.core.SharedEvent;
import io.ipckit.core.SharedLock;
import io.ipckit.core.SharedLong;
import io.ipckit.core.SharedMap;
import io.ipckit.core.SharedNamespace;
import io.ipckit.core.SharedQueue;
import io.ipckit.core.SharedSemaphore;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.HandleChildMain;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seam end to end: {@code Manager.connect(clusterAddress)} gives the same types and verbs as a local
 * manager, on a member JVM; a handle travels to another JVM and works there; what the cluster backend does
 * not have yet is refused naming itself.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterManagerTest extends LeakCheckingTest {
    @TempDir
    static Path logs;
    private static Children children;
    private static Cluster cluster;

    @BeforeAll
    static void startMember() throws Exception {
        children = new Children(logs);
        cluster = new Cluster(children, 1);
        cluster.start(0);
    }

    @AfterAll
    static void stopMember() throws Exception {
        children.close();
    }

    @Test
    void managerOfACluster_sameTypesAndVerbs_asALocalOne() throws Exception {
        try (Manager m = Manager.connect(cluster.address().toString())) {
            assertEquals(cluster.address().toString(), m.address());
            SharedQueue<String> q = m.queue("letters", 4);
            for (String s : List.of("p", "y", "t")) {
                q.put(s);
            }
            assertEquals(3, q.qsize());
            assertEquals("p", q.get());
            assertEquals("y", q.poll(10, TimeUnit.SECONDS));

            SharedMap<String, Integer> counts = m.map("counts");
            counts.put("a", 1);
            assertEquals(3, counts.merge("a", 2, Integer::sum));
            assertEquals(java.util.Map.of("a", 3), counts.snapshot());

            SharedNamespace ns = m.namespace("config");
            ns.set("x", 10);
            assertEquals(10, (int) ns.get("x"));

            SharedLock rlock = m.rlock("r");
            rlock.lock();
            assertTrue(rlock.tryLock(), "an rlock counts its holder's holds");
            assertEquals(2, rlock.getHoldCount());
            rlock.unlock();
            rlock.unlock();
            SharedLock plain = m.lock("plain");
            assertTrue(plain.tryLock());
            assertFalse(plain.isReentrant());
            assertFalse(plain.tryLock(), "a plain lock locked again by its holder waits, as Python's Lock");
            assertFalse(plain.tryLock(100, TimeUnit.MILLISECONDS));
            plain.unlock();

            SharedSemaphore s = m.boundedSemaphore("slots", 2);
            assertTrue(s.tryAcquire(2));
            assertFalse(s.tryAcquire());
            s.release(2);
            assertEquals(2, s.availablePermits());

            SharedEvent ready = m.event("ready");
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return ready.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            ready.set();
            assertTrue(waiter.get(30, TimeUnit.SECONDS));

            io.ipckit.core.SharedValue<String> v = m.value("v", "first");
            assertEquals("first", m.value("v", "ignored").get(), "the initial value is the first creator's");
            assertTrue(v.compareAndSet("first", "second"));
            assertFalse(v.compareAndSet("first", "third"));
            assertEquals("second!", v.updateAndGet(old -> old + "!"));
            assertEquals("second!", v.getAndSet(null));
            assertEquals(null, v.get());

            io.ipckit.core.SharedList<String> list = m.list("l");
            list.addAll(List.of("b", "a", "c"));
            list.sort(null);
            assertEquals(List.of("a", "b", "c"), list.snapshot());

            SharedLong n = m.sharedLong("n");
            assertEquals(5, n.addAndGet(5));
            assertEquals(50, n.updateAndGet(x -> x * 10));
        }
    }

    @Test
    void aHandleSentToAnotherJvm_reachesTheSameClusterObject() throws Exception {
        try (Manager m = Manager.connect(cluster.address().toString())) {
            SharedMap<String, Long> map = m.map("handles");
            java.lang.Process p = children.start(HandleChildMain.class, HandleChildMain.encode(map), "map-add-pid");
            assertEquals(0, children.await(p, 90), children.logOf(p));
            assertEquals(p.pid(), map.get("pid-" + p.pid()));
            assertEquals(100L, map.get("count"));
        }
    }

    @Test
    void whatTheClusterBackendHasNot_isRefusedNamingIt_andTheManagerGoesOn() {
        try (Manager m = Manager.connect(cluster.address().toString())) {
            UnsupportedOperationException pid = assertThrows(UnsupportedOperationException.class, m::pid);
            assertTrue(pid.getMessage().contains("no single process") && !pid.getMessage().contains(cluster.address().token()),
                    pid.getMessage());
            assertThrows(UnsupportedOperationException.class, m::directory);
            UnsupportedOperationException shutdown = assertThrows(UnsupportedOperationException.class, m::shutdown);
            assertTrue(shutdown.getMessage().contains("stop the nodes"), shutdown.getMessage());
            assertEquals(0, m.<String>queue("q2").size(), "still usable");
        }
    }

    @Test
    void condition_waiterWokenBySignal_timesOutWithout_needsItsLock() throws Exception {
        try (Manager m = Manager.connect(cluster.address().toString())) {
            SharedLock lock = m.rlock("cl");
            io.ipckit.core.SharedCondition ready = m.condition("ready", "cl");
            SharedMap<String, Boolean> state = m.map("cond-state");
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                lock.lock();
                try {
                    while (!state.getOrDefault("go", false)) {
                        if (!ready.await(30, TimeUnit.SECONDS)) {
                            return false;
                        }
                    }
                    return lock.isHeldByCurrentThread();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    lock.unlock();
                }
            });
            Thread.sleep(300);
            lock.lock();
            try {
                state.put("go", true);
                ready.signal();
            } finally {
                lock.unlock();
            }
            assertTrue(waiter.get(60, TimeUnit.SECONDS), "woken, with the lock held again");

            lock.lock();
            try {
                assertFalse(ready.await(200, TimeUnit.MILLISECONDS), "no signal: timed out");
                assertTrue(lock.isHeldByCurrentThread());
            } finally {
                lock.unlock();
            }
            assertThrows(IllegalMonitorStateException.class, ready::signal);
        }
    }
}
