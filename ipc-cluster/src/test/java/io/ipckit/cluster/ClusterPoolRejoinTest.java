package io.ipckit.cluster;

import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.test.PoolNode;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.pool.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster pool after a node's kill -9 and its return: the pool shrinks to the survivor's workers, then
 * grows back when the node is started again, and the returned node takes tasks.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ClusterPoolRejoinTest extends LeakCheckingTest {
    @TempDir
    Path dir;

    @Test
    void aKilledNodeStartedAgain_bringsThePoolBackToSize_andTakesTasks() throws Exception {
        ClusterAddress address = PoolNode.address(2);
        try (Children children = new Children(dir)) {
            Process survivor = PoolNode.start(children, address, 1, 1);
            Process victim = PoolNode.start(children, address, 0, 1);
            try (Pool pool = Pool.builder().cluster(address.toString()).name("rejoin").build()) {
                awaitWorkers(pool, n -> n == 2, "both nodes' workers up");
                victim.destroyForcibly();
                assertTrue(victim.waitFor(10, TimeUnit.SECONDS));
                long t0 = System.nanoTime();
                awaitWorkers(pool, n -> n == 1, "the killed node's worker gone from the pool");
                long shrunk = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals(List.of(4L, 9L), pool.map(x -> x * x, List.of(2L, 3L)), "the survivor serves");

                Process back = PoolNode.start(children, address, 0, 1);
                long t1 = System.nanoTime();
                awaitWorkers(pool, n -> n == 2, "the returned node's worker in the pool");
                long grown = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
                Set<Long> ranOn = Collections.synchronizedSet(new HashSet<>());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!ranOn.contains(back.pid())) {
                    assertTrue(System.nanoTime() < deadline, "no task ran on the returned node in 60 s: " + ranOn);
                    ranOn.addAll(pool.map(ClusterPoolRejoinTest::nodeOfWorker, List.of(30L, 30L, 30L, 30L), 1));
                }
                assertTrue(Set.of(survivor.pid(), back.pid()).containsAll(ranOn), ranOn.toString());
                System.out.println("pool at 1 worker " + shrunk + " ms after a node's kill -9, back at 2 " + grown
                        + " ms after the node was up again; tasks ran on " + ranOn);
            } finally {
                ClusterClient.closeAll();
            }
        }
    }

    /** Sleeps {@code millis} in a worker, then answers the pid of the worker's node. */
    private static long nodeOfWorker(long millis) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    private static void awaitWorkers(Pool pool, IntPredicate wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!wanted.test(pool.workerPids().size())) {
            assertTrue(System.nanoTime() < deadline, what + ": not in 60 s, worker pids " + pool.workerPids());
            Thread.sleep(50);
        }
    }
}
