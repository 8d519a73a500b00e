package io.ipckit.cluster;

import io.ipckit.cluster.test.BarrierChildMain;
import io.ipckit.cluster.test.Cluster;
import io.ipckit.core.Manager;
import io.ipckit.core.SharedBarrier;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Barriers on the cluster: generations, timeouts, reset, and a waiting party's kill -9 breaking it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterBarrierTest extends LeakCheckingTest {
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
    void threeParties_passTogether_twice_thenTimeoutBreaksAndResetMends() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (Manager m = Manager.connect(cluster.address().toString())) {
            SharedBarrier b = m.barrier("three", 3);
            assertThrows(IllegalArgumentException.class, () -> m.barrier("three", 2));
            for (int round = 0; round < 2; round++) {
                List<Future<Integer>> fs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    fs.add(threads.submit(() -> b.await(30, TimeUnit.SECONDS)));
                }
                Set<Integer> indexes = new TreeSet<>();
                for (Future<Integer> f : fs) {
                    indexes.add(f.get(60, TimeUnit.SECONDS));
                }
                assertEquals(Set.of(0, 1, 2), indexes, "round " + round);
            }
            assertThrows(TimeoutException.class, () -> b.await(200, TimeUnit.MILLISECONDS));
            assertTrue(b.isBroken());
            assertThrows(BrokenBarrierException.class, () -> b.await(1, TimeUnit.SECONDS));
            b.reset();
            assertFalse(b.isBroken());
            assertEquals(0, b.getNumberWaiting());
            SharedBarrier withDefault = m.barrier("one-default", 2, java.time.Duration.ofMillis(200));
            assertThrows(BrokenBarrierException.class, withDefault::await);
            assertThrows(UnsupportedOperationException.class, () -> m.barrier("act", 2, () -> { }, null));
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aWaitingPartysProcessKilled_breaksTheBarrierForTheOthers_withinTheBound() throws Exception {
        try (Manager m = Manager.connect(cluster.address().toString())) {
            SharedBarrier b = m.barrier("death", 3);
            java.lang.Process child = children.start(BarrierChildMain.class, cluster.address().toString(), "death", "3");
            children.awaitOutput(child, "ARRIVED", 60);
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            BrokenBarrierException e = assertThrows(BrokenBarrierException.class, () -> b.await(60, TimeUnit.SECONDS));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(e.getMessage().contains("died or left"), e.getMessage());
            assertTrue(ms < Cluster.CLIENT_TIMEOUT_MILLIS + 10_000, "broken after " + ms + " ms");
            System.out.println("barrier broken " + ms + " ms after the kill (client timeout " + Cluster.CLIENT_TIMEOUT_MILLIS + " ms)");
        }
    }
}
