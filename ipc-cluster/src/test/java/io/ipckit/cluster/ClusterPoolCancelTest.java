package io.ipckit.cluster;

import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.test.PoolNode;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.pool.AsyncResult;
import io.ipckit.pool.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cancel} of a cluster pool's task, with a node JVM of one worker: {@code cancel(true)} of a task
 * running on the node kills the worker running it (the node starts another), as a local pool does; a task
 * cancelled before the node runs it never runs.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterPoolCancelTest extends LeakCheckingTest {
    @TempDir
    Path dir;

    @Test
    void cancelTrueStopsTheRunningTaskOnItsNodeAndCancelledWaitingOnesNeverRun() throws Exception {
        ClusterAddress address = PoolNode.address(1);
        try (Children children = new Children(dir)) {
            PoolNode.start(children, address, 0, 1);
            try (Pool pool = Pool.builder().cluster(address.toString()).name("cancel").build()) {
                pool.awaitReady(Duration.ofSeconds(60));
                String pidFile = dir.resolve("running").toString();
                String endFile = dir.resolve("ran-to-its-end").toString();
                String waitingFile = dir.resolve("waiting-one-ran").toString();
                AsyncResult<String> running = pool.applyAsync(() -> {
                    Files.writeString(Path.of(pidFile), Long.toString(ProcessHandle.current().pid()));
                    Thread.sleep(30_000);
                    Files.writeString(Path.of(endFile), "yes");
                    return "ran to its end";
                });
                AsyncResult<String> waiting = pool.applyAsync(() -> {
                    Files.writeString(Path.of(waitingFile), "yes");
                    return "ran";
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(Path.of(pidFile)) || Files.readString(Path.of(pidFile)).isEmpty()) {
                    assertTrue(System.nanoTime() < deadline, "the task did not start on the node in 60 s");
                    Thread.sleep(20);
                }
                long worker = Long.parseLong(Files.readString(Path.of(pidFile)).trim());
                assertTrue(waiting.cancel(false), "the waiting task was cancelled");
                assertTrue(running.cancel(true), "the running task was cancelled");
                assertThrows(CancellationException.class, () -> running.get(1, TimeUnit.SECONDS));
                assertTrue(running.isCancelled());
                ProcessHandle h = ProcessHandle.of(worker).orElse(null);
                long t0 = System.nanoTime();
                while (h != null && h.isAlive()) {
                    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20),
                            "the worker " + worker + " running the cancelled task still alive after 20 s");
                    Thread.sleep(20);
                }
                System.out.println("the node's worker running the cancelled task gone "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms after cancel(true)");
                assertEquals("served by its new worker", pool.apply(() -> "served by its new worker"));
                assertFalse(pool.workerPids().contains(worker), worker + " still a worker: " + pool.workerPids());
                assertFalse(Files.exists(Path.of(endFile)), "the cancelled task ran to its end");
                assertFalse(Files.exists(Path.of(waitingFile)), "the task cancelled before it started ran");
            } finally {
                ClusterClient.closeAll();
            }
        }
    }
}
