package io.ipckit.cluster;

import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.pool.ClusterEngine;
import io.ipckit.cluster.test.Cluster;
import io.ipckit.cluster.test.PoolNode;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.pool.AsyncResult;
import io.ipckit.pool.Pool;
import io.ipckit.pool.WorkerCrashedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the kill -9 of a node costs a cluster pool's caller: its running task fails, naming the node's host;
 * with {@code retries(1)} and a second node, it runs again there. A node stopped cleanly (SIGTERM) finishes
 * its running task first. A worker that dies inside a node fails its task with the node's
 * WorkerCrashedException, or the task runs again with retries.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterPoolCrashTest extends LeakCheckingTest {
    @TempDir
    Path dir;

    @Test
    void killOfTheNodeFailsItsRunningTaskNamingTheHost() throws Exception {
        ClusterAddress address = PoolNode.address(1);
        try (Children children = new Children(dir)) {
            Process node = PoolNode.start(children, address, 0, 2);
            try {
                Pool pool = Pool.builder().cluster(address.toString()).name("crash").build();
                pool.awaitReady(Duration.ofSeconds(60));
                String marker = dir.resolve("started").toString();
                AsyncResult<Integer> running = pool.applyAsync(() -> {
                    Files.createFile(Path.of(marker));
                    Thread.sleep(120_000);
                    return 1;
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(Path.of(marker))) {
                    assertTrue(System.nanoTime() < deadline, "the long task did not start on the node in 60 s");
                    Thread.sleep(20);
                }
                Thread.sleep(300); // the node's STARTED reply is sent before the task reaches a worker
                node.destroyForcibly();
                long t0 = System.nanoTime();
                ExecutionException e = assertThrows(ExecutionException.class, () -> running.get(30, TimeUnit.SECONDS));
                long millis = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("task failed " + millis + " ms after kill -9 of its node (bound: "
                        + ClusterEngine.UNREACHABLE.toMillis() + " ms without any member)");
                assertTrue(e.getCause() instanceof WorkerCrashedException, String.valueOf(e.getCause()));
                String m = e.getCause().getMessage();
                assertTrue(m.contains(address.members().get(0).host()), m);
                assertEquals(node.pid(), ((WorkerCrashedException) e.getCause()).pid(), m);
                assertTrue(millis < ClusterEngine.UNREACHABLE.toMillis() + 5_000, "failed after " + millis + " ms");
                long t1 = System.nanoTime();
                ExecutionException late = assertThrows(ExecutionException.class,
                        () -> pool.applyAsync(() -> 1).get(30, TimeUnit.SECONDS));
                assertTrue(late.getCause() instanceof ClusterException, String.valueOf(late.getCause()));
                assertTrue(late.getCause().getMessage().contains("unreachable"), late.getCause().getMessage());
                System.out.println("a task submitted with the cluster gone failed in " + (System.nanoTime() - t1) / 1_000_000
                        + " ms: " + late.getCause().getMessage());
                pool.close();
                assertTrue(pool.isTerminated());
            } finally {
                ClusterClient.closeAll();
            }
        }
    }

    @Test
    void withRetriesTheTaskOfAKilledNodeRunsAgainOnTheOther() throws Exception {
        ClusterAddress address = PoolNode.address(2);
        try (Children children = new Children(dir)) {
            Process[] nodes = {PoolNode.start(children, address, 0, 1), PoolNode.start(children, address, 1, 1)};
            try {
                Pool pool = Pool.builder().cluster(address.toString()).name("retry").retries(1).build();
                try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (pool.workerPids().size() < 2) {
                    assertTrue(System.nanoTime() < deadline, "the two nodes' workers not up in 60 s: " + pool.workerPids());
                    Thread.sleep(50);
                }
                // the pool's queues backed up on both nodes, so the kill below loses no outcome
                Cluster.awaitSafe(address, 30);
                String runs = dir.resolve("runs").toString();
                AsyncResult<Long> r = pool.applyAsync(() -> {
                    Path f = Path.of(runs);
                    long node = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                    boolean first = !Files.exists(f);
                    Files.writeString(f, node + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    if (first) {
                        Thread.sleep(120_000);
                    }
                    return node;
                });
                while (!Files.exists(Path.of(runs))) {
                    assertTrue(System.nanoTime() < deadline, "the task did not start in 60 s");
                    Thread.sleep(20);
                }
                Thread.sleep(300); // the node's STARTED reply is sent before the task reaches a worker
                long first = Long.parseLong(Files.readAllLines(Path.of(runs)).get(0).trim());
                Process victim = nodes[0].pid() == first ? nodes[0] : nodes[1];
                Process survivor = victim == nodes[0] ? nodes[1] : nodes[0];
                assertEquals(first, victim.pid(), "the task ran in a worker of neither node");
                victim.destroyForcibly();
                long t0 = System.nanoTime();
                long ranOn;
                try {
                    ranOn = r.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("the retried task did not complete within 60 s of the kill; survivor's log:\n"
                            + children.logOf(survivor), e);
                }
                System.out.println("retried task done " + (System.nanoTime() - t0) / 1_000_000
                        + " ms after kill -9 of its node (member timeout " + io.ipckit.cluster.test.Cluster.MEMBER_TIMEOUT_SECONDS + " s)");
                assertEquals(survivor.pid(), ranOn, "the retry ran on the surviving node");
                assertEquals(List.of(Long.toString(first), Long.toString(survivor.pid())),
                        Files.readAllLines(Path.of(runs)), "one run on each node");
                pool.close();
                assertTrue(pool.isTerminated());
                } finally {
                    pool.terminate();
                }
            } finally {
                ClusterClient.closeAll();
            }
        }
    }

    @Test
    void aNodeStoppedCleanlyFinishesItsRunningTask() throws Exception {
        ClusterAddress address = PoolNode.address(1);
        try (Children children = new Children(dir)) {
            Process node = PoolNode.start(children, address, 0, 1);
            try {
                Pool pool = Pool.builder().cluster(address.toString()).name("leave").build();
                try {
                    pool.awaitReady(Duration.ofSeconds(60));
                    String marker = dir.resolve("started").toString();
                    AsyncResult<String> r = pool.applyAsync(() -> {
                        Files.createFile(Path.of(marker));
                        Thread.sleep(2_000);
                        return "finished on the leaving node";
                    });
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (!Files.exists(Path.of(marker))) {
                        assertTrue(System.nanoTime() < deadline, "the task did not start on the node in 60 s");
                        Thread.sleep(20);
                    }
                    node.destroy(); // SIGTERM
                    assertEquals("finished on the leaving node", r.get(30, TimeUnit.SECONDS));
                    assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node did not exit within 30 s of SIGTERM");
                } finally {
                    pool.terminate();
                }
            } finally {
                ClusterClient.closeAll();
            }
        }
    }

    @Test
    void aWorkerDyingInsideANodeFailsItsTaskOrRetriesIt() throws Exception {
        ClusterAddress address = PoolNode.address(1);
        try (Children children = new Children(dir)) {
            PoolNode.start(children, address, 0, 1);
            try {
                try (Pool pool = Pool.builder().cluster(address.toString()).name("halt").build()) {
                    pool.awaitReady(Duration.ofSeconds(60));
                    WorkerCrashedException e = assertThrows(WorkerCrashedException.class, () -> pool.apply(() -> {
                        Runtime.getRuntime().halt(3);
                        return 0;
                    }));
                    assertEquals(3, e.exitStatus(), e.getMessage());
                }
                String runs = dir.resolve("halts").toString();
                try (Pool pool = Pool.builder().cluster(address.toString()).name("halt-retry").retries(1).build()) {
                    int r = pool.apply(() -> {
                        Path f = Path.of(runs);
                        if (!Files.exists(f)) {
                            Files.createFile(f);
                            Runtime.getRuntime().halt(3);
                        }
                        return 7;
                    });
                    assertEquals(7, r, "the retry's result");
                }
            } finally {
                ClusterClient.closeAll();
            }
        }
    }
}
