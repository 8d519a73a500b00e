package io.ipckit.cluster;

import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.ClusterEvent;
import io.ipckit.cluster.internal.ClusterSemaphore;
import io.ipckit.cluster.test.Cluster;
import io.ipckit.cluster.test.SemaphoreChildMain;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Semaphores and events on one member JVM; a killed holder's permits come back. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterSemaphoreTest extends LeakCheckingTest {
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
    void boundedSemaphoreCountsPermits() throws Exception {
        ClusterSemaphore s = ClusterSemaphore.create(client.hazelcast(), "bounded", 2, true);
        assertTrue(s.isBounded());
        assertEquals(2, s.availablePermits());
        s.acquire();
        assertTrue(s.tryAcquire(1, 10, TimeUnit.MILLISECONDS));
        assertFalse(s.tryAcquire());
        assertFalse(s.tryAcquire(50, TimeUnit.MILLISECONDS));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(3, 1, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1));
        CompletableFuture<Void> releaser = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            s.release();
        });
        assertTrue(s.tryAcquire(10, TimeUnit.SECONDS), "a release by another thread wakes the waiter");
        releaser.get(10, TimeUnit.SECONDS);
        s.release(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
        assertTrue(e.getMessage().contains("'bounded'"), e.getMessage());
        assertEquals(2, s.availablePermits(), "a refused release changes nothing");
        assertEquals(2, s.drainPermits());
        assertEquals(0, s.availablePermits());
        s.release(2);
        assertThrows(IllegalStateException.class, () -> ClusterSemaphore.create(client.hazelcast(), "bounded", 3, true));
    }

    @Test
    void permitsOfAKilledHolderComeBack() throws Exception {
        Process holder = children.start(SemaphoreChildMain.class, cluster.address().toString(), "killed", "2");
        children.awaitOutput(holder, "acquired", 60);
        ClusterSemaphore s = ClusterSemaphore.create(client.hazelcast(), "killed", 2, true);
        assertEquals(0, s.availablePermits());
        holder.destroyForcibly();
        long t0 = System.nanoTime();
        holder.waitFor(10, TimeUnit.SECONDS);
        assertTrue(s.tryAcquire(2, 30, TimeUnit.SECONDS), "the permits of a killed holder did not come back in 30 s");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("semaphore permits back " + ms + " ms after kill -9 (client timeout "
                + Cluster.CLIENT_TIMEOUT_MILLIS + " ms)");
        s.release(2);
        assertTrue(ms < 2 * Cluster.CLIENT_TIMEOUT_MILLIS + 3000, "permits back after " + ms + " ms");
    }

    @Test
    void eventWakesItsWaiters() throws Exception {
        ClusterEvent e = ClusterEvent.create(client.hazelcast(), "go");
        assertFalse(e.isSet());
        assertFalse(e.await(50, TimeUnit.MILLISECONDS));
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return ClusterEvent.create(client.hazelcast(), "go").await(20, TimeUnit.SECONDS);
            } catch (InterruptedException x) {
                throw new RuntimeException(x);
            }
        });
        Thread.sleep(100);
        e.set();
        assertTrue(waiter.get(30, TimeUnit.SECONDS));
        assertTrue(e.isSet());
        e.await();
        e.clear();
        assertFalse(e.isSet());
    }
}
