package io.ipckit.cluster;

import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.ClusterLock;
import io.ipckit.cluster.internal.ClusterLong;
import io.ipckit.cluster.test.Cluster;
import io.ipckit.cluster.test.CounterChildMain;
import io.ipckit.cluster.test.LockChildMain;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Locks and counters across JVMs on one member JVM; a dead holder's lock is released. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterLockTest extends LeakCheckingTest {
    @TempDir
    static Path logs;
    private static Children children;
    private static Cluster cluster;
    private static ClusterClient client;

    @BeforeAll
    static void startMember() throws Exception {
        children = new Children(logs);
        cluster = new Cluster(children, 1);
        cluster.start(0);
        client = ClusterClient.connect(cluster.address(), ClusterClient.CONNECT_TIMEOUT);
    }

    @AfterAll
    static void stopMember() throws Exception {
        client.close();
        children.close();
    }

    @Test
    void lockIsReentrantAndOwnedByItsThread() throws Exception {
        ClusterLock lock = ClusterLock.create(client.hazelcast(), "reentrant");
        lock.lock();
        assertTrue(lock.tryLock());
        assertEquals(2, lock.getHoldCount());
        assertTrue(lock.isLocked());
        assertFalse(CompletableFuture.supplyAsync(lock::tryLock).get(10, TimeUnit.SECONDS), "other thread");
        assertThrows(IllegalMonitorStateException.class,
                () -> {
                    try {
                        CompletableFuture.runAsync(lock::unlock).get(10, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw e.getCause();
                    }
                });
        lock.unlock();
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
        assertFalse(lock.isHeldByCurrentThread());
        assertFalse(lock.isLocked());
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertTrue(e.getMessage().contains("'reentrant'"), e.getMessage());
        assertTrue(CompletableFuture.supplyAsync(() -> {
            boolean got = lock.tryLock();
            lock.unlock();
            return got;
        }).get(10, TimeUnit.SECONDS));
        assertThrows(UnsupportedOperationException.class, lock::newCondition);
    }

    @Test
    void lockOfAKilledHolderIsReleasedWithinTheClientTimeout() throws Exception {
        Process holder = children.start(LockChildMain.class, cluster.address().toString(), "killed-holder");
        children.awaitOutput(holder, "locked", 60);
        ClusterLock lock = ClusterLock.create(client.hazelcast(), "killed-holder");
        assertFalse(lock.tryLock(200, TimeUnit.MILLISECONDS));
        holder.destroyForcibly();
        long t0 = System.nanoTime();
        holder.waitFor(10, TimeUnit.SECONDS);
        assertTrue(lock.tryLock(30, TimeUnit.SECONDS), "the lock of a killed holder was not released in 30 s");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("lock released " + ms + " ms after kill -9 (client timeout "
                + Cluster.CLIENT_TIMEOUT_MILLIS + " ms)");
        lock.unlock();
        assertTrue(ms < 3 * Cluster.CLIENT_TIMEOUT_MILLIS + 2000, "released after " + ms + " ms");
    }

    @Test
    void oneCachedClientPerAddress() {
        ClusterClient a = ClusterClient.of(cluster.address());
        try {
            assertSame(a, ClusterClient.of(ClusterAddress.parse(cluster.address().toString())));
        } finally {
            a.close();
        }
        ClusterClient b = ClusterClient.of(cluster.address());
        try {
            assertNotSame(a, b, "a closed client is replaced");
            assertTrue(b.hazelcast().getLifecycleService().isRunning());
        } finally {
            b.close();
        }
    }

    @Test
    void counterIsAtomicAcrossJvms() throws Exception {
        ClusterLong counter = ClusterLong.create(client.hazelcast(), "hits");
        assertEquals(0, counter.get());
        Process other = children.start(CounterChildMain.class, cluster.address().toString(), "hits", "300");
        for (int i = 0; i < 300; i++) {
            counter.incrementAndGet();
        }
        assertEquals(0, children.await(other, 60), children.logOf(other));
        assertEquals(600, counter.get());
        assertTrue(counter.compareAndSet(600, 5));
        assertFalse(counter.compareAndSet(600, 7));
        assertEquals(15, counter.addAndGet(10));
        assertEquals(15, counter.getAndAdd(1));
        assertEquals(16, counter.getAndSet(-1));
        assertEquals(-2, counter.decrementAndGet());
        counter.set(42);
        assertEquals(42, ClusterLong.create(client.hazelcast(), "hits").get());
    }
}
