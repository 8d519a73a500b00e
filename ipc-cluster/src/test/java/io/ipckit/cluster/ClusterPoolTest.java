package io.ipckit.cluster;

import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.test.PoolNode;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.pool.AsyncResult;
import io.ipckit.pool.Pool;
import io.ipckit.pool.ProcessPoolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Pool.builder().cluster(ADDRESS)} and its executor against one node JVM with 2 workers (started by
 * the class), this JVM as the cluster's client: tasks run in the node's workers and come back; with
 * {@code processes(n)}, also on worker JVMs of this host, which take a task whenever one is free.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterPoolTest extends LeakCheckingTest {
    private static Path logs;
    private static Children children;
    private static ClusterAddress address;

    @BeforeAll
    static void startNode() throws Exception {
        logs = Files.createTempDirectory("ipckit-cluster-pool");
        children = new Children(logs);
        address = PoolNode.address(1);
        PoolNode.start(children, address, 0, 2);
        ClusterClient.of(address); // the class's client: its threads are not a test's
        // the node's worker JVMs are the class's too: wait until they are up, before the first test looks
        try (Pool pool = Pool.builder().cluster(address.toString()).build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (pool.workerPids().size() < 2) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the node's 2 workers not up in 60 s: " + pool.workerPids());
                }
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopNode() throws Exception {
        ClusterClient.closeAll();
        children.close();
        try (var files = Files.walk(logs)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void applyMapAndErrorsRunOnTheNodesWorkers() throws Exception {
        try (Pool pool = Pool.builder().cluster(address.toString()).name("cp").build()) {
            pool.awaitReady(Duration.ofSeconds(60));
            assertEquals(2, pool.workerPids().size(), "the node's 2 workers: " + pool.workerPids());
            assertEquals(42, (int) pool.apply(() -> 6 * 7));
            long pid = pool.apply(() -> ProcessHandle.current().pid());
            assertTrue(pool.workerPids().contains(pid), "ran in " + pid + ", not one of the node's workers "
                    + pool.workerPids());
            assertEquals(7, (int) pool.apply((Integer a, Integer b) -> a + b, 3, 4));
            List<Integer> in = new ArrayList<>();
            List<Integer> squares = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                in.add(i);
                squares.add(i * i);
            }
            assertEquals(squares, pool.map(x -> x * x, in), "map's results in input order");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.apply(() -> {
                throw new IllegalStateException("boom in a node's worker");
            }));
            assertTrue(e.getMessage().contains("boom in a node's worker"), e.getMessage());
            List<AsyncResult<Integer>> many = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int k = i;
                many.add(pool.applyAsync(() -> k + 1));
            }
            for (int i = 0; i < 50; i++) {
                assertEquals(i + 1, many.get(i).get(30, TimeUnit.SECONDS));
            }
            List<Integer> plusOne = new ArrayList<>();
            pool.imap(x -> x + 1, in, 7).forEachRemaining(plusOne::add);
            assertEquals(in.stream().map(x -> x + 1).toList(), plusOne, "imap's results in input order");
            // figures for the README (printed, never asserted)
            long[] rtt = new long[21];
            for (int i = 0; i < rtt.length; i++) {
                long t0 = System.nanoTime();
                pool.apply(() -> 1);
                rtt[i] = System.nanoTime() - t0;
            }
            java.util.Arrays.sort(rtt);
            long t0 = System.nanoTime();
            List<AsyncResult<Integer>> burst = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                burst.add(pool.applyAsync(() -> 1));
            }
            for (AsyncResult<Integer> r : burst) {
                r.get(60, TimeUnit.SECONDS);
            }
            System.out.println("cluster pool, 1 node of 2 workers on this host: apply round trip p50 "
                    + rtt[10] / 1_000 + " us; 500 applyAsync in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
    }

    /** The pids of the workers that are this JVM's own children: the local ones (the node's are its grandchildren). */
    private static Set<Long> localWorkers(Pool pool) {
        Set<Long> children = ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
        return pool.workerPids().stream().filter(children::contains).collect(Collectors.toSet());
    }

    @Test
    void localWorkersBesideTheNodesTakeTasksWhenFreeAndTheRestGoesToTheNodes() throws Exception {
        try (Pool pool = Pool.builder().cluster(address.toString()).processes(1).name("mixed").build()) {
            pool.awaitReady(Duration.ofSeconds(60));
            assertEquals(3, pool.size(), "1 local worker and the node's 2");
            assertEquals(3, pool.workerPids().size(), "the local worker and the node's 2: " + pool.workerPids());
            Set<Long> local = localWorkers(pool);
            assertEquals(1, local.size(), "one worker of the pool is this JVM's child: " + pool.workerPids());
            assertTrue(pool.directory() != null && Files.isDirectory(pool.directory()), "the local workers' space");
            // a synchronous apply always finds the local worker free: it stays on this host
            for (int i = 0; i < 20; i++) {
                long pid = pool.apply(() -> ProcessHandle.current().pid());
                assertTrue(local.contains(pid), "apply " + i + " ran in " + pid + ", not the local worker " + local);
            }
            // a burst spills over to the nodes; callbacks of both sides run one at a time
            AtomicInteger inCallback = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            List<AsyncResult<Long>> burst = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                burst.add(pool.applyAsync(() -> {
                    Thread.sleep(20);
                    return ProcessHandle.current().pid();
                }, pid -> {
                    if (inCallback.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    inCallback.decrementAndGet();
                }, error -> { }));
                Thread.sleep(3);
            }
            Set<Long> ranOn = new HashSet<>();
            for (AsyncResult<Long> r : burst) {
                ranOn.add(r.get(60, TimeUnit.SECONDS));
            }
            assertTrue(ranOn.stream().anyMatch(local::contains), "no task of the burst ran locally: " + ranOn);
            assertTrue(ranOn.stream().anyMatch(p -> !local.contains(p)), "no task went to the nodes: " + ranOn);
            assertEquals(0, overlaps.get(), "callbacks ran concurrently");
            List<Integer> in = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                in.add(i);
            }
            assertEquals(in.stream().map(x -> x * 3).toList(), pool.map(x -> x * 3, in, 5), "map in input order");
            List<Integer> imapped = new ArrayList<>();
            pool.imap(x -> x - 1, in, 3).forEachRemaining(imapped::add);
            assertEquals(in.stream().map(x -> x - 1).toList(), imapped, "imap in input order");
        }
    }

    @Test
    void aKilledLocalWorkerFailsItsTaskAsInALocalPoolAndThePoolGoesOn() throws Exception {
        Path announce = logs.resolve("local-victim-" + System.nanoTime());
        String file = announce.toString();
        try (Pool pool = Pool.builder().cluster(address.toString()).processes(1).name("mixed-kill").build()) {
            pool.awaitReady(Duration.ofSeconds(60));
            AsyncResult<Long> victim = pool.applyAsync(() -> {
                Files.writeString(Path.of(file), Long.toString(ProcessHandle.current().pid()));
                Thread.sleep(60_000);
                return 0L;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(announce) || Files.readString(announce).isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the task did not start in 30 s");
                Thread.sleep(20);
            }
            long pid = Long.parseLong(Files.readString(announce));
            assertEquals(Set.of(pid), localWorkers(pool), "the first task, with the local worker free, ran there");
            assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor());
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> victim.get(30, TimeUnit.SECONDS));
            var crash = org.junit.jupiter.api.Assertions.assertInstanceOf(io.ipckit.pool.WorkerCrashedException.class,
                    e.getCause());
            assertEquals(pid, crash.pid());
            assertEquals("after the kill", pool.apply(() -> "after the kill"), "the pool goes on");
            long deadline2 = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (localWorkers(pool).size() != 1 || localWorkers(pool).contains(pid)) {
                assertTrue(System.nanoTime() < deadline2, "no local replacement in 60 s: " + pool.workerPids());
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aCancelledLocalTaskGivesItsWorkerBackToTheNextTasks() throws Exception {
        try (Pool pool = Pool.builder().cluster(address.toString()).processes(1).name("mixed-cancel").build()) {
            pool.awaitReady(Duration.ofSeconds(60));
            Set<Long> local = localWorkers(pool);
            for (boolean stopRunning : new boolean[] {false, true}) {
                Path announce = logs.resolve("cancelled-" + stopRunning + "-" + System.nanoTime());
                String file = announce.toString();
                AsyncResult<Long> held = pool.applyAsync(() -> {
                    Files.writeString(Path.of(file), "started");
                    Thread.sleep(stopRunning ? 60_000 : 300);
                    return ProcessHandle.current().pid();
                });
                if (stopRunning) { // cancel(true) kills the worker only if the task runs: wait until it does
                    long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (!Files.exists(announce)) {
                        assertTrue(System.nanoTime() < started, "the task did not start in 30 s");
                        Thread.sleep(10);
                    }
                }
                assertTrue(held.cancel(stopRunning));
                // the local worker (or its replacement, after cancel(true)) takes synchronous applies again
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long pid;
                while (!localWorkers(pool).contains(pid = pool.apply(() -> ProcessHandle.current().pid()))) {
                    assertTrue(System.nanoTime() < deadline, "no apply ran on the local worker in 60 s after"
                            + " cancel(" + stopRunning + "); last in " + pid + ", local " + localWorkers(pool));
                    Thread.sleep(20);
                }
                for (int i = 0; i < 5; i++) {
                    long p = pool.apply(() -> ProcessHandle.current().pid());
                    assertTrue(localWorkers(pool).contains(p), "apply ran in " + p + " after cancel(" + stopRunning
                            + "), not the local worker " + localWorkers(pool));
                }
            }
            assertFalse(localWorkers(pool).equals(local), "cancel(true) replaced the local worker: " + local);
        }
    }

    @Test
    void aCallbackTerminatingAPoolWithLocalWorkersDoesNotStallIt() throws Exception {
        Pool pool = Pool.builder().cluster(address.toString()).processes(1).name("mixed-term").build();
        try {
            pool.awaitReady(Duration.ofSeconds(60));
            List<AsyncResult<Integer>> rs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int k = i;
                rs.add(pool.applyAsync(() -> {
                    Thread.sleep(50);
                    return k;
                }, v -> {
                    if (v == 5) {
                        pool.terminate();
                    }
                }, e -> { }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (pool.isRunning()) {
                assertTrue(System.nanoTime() < deadline, "the callback did not terminate the pool in 20 s");
                Thread.sleep(10);
            }
            long t0 = System.nanoTime();
            assertTrue(pool.join(Duration.ofSeconds(20)), "not terminated 20 s after the callback");
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 10_000, "terminated only after " + millis + " ms");
            for (AsyncResult<Integer> r : rs) {
                assertTrue(r.isDone(), "every task has its outcome after terminate");
            }
        } finally {
            pool.terminate();
        }
    }

    @Test
    void anExecutorWithLocalWorkersRunsOnBothAndShutsDown() throws Exception {
        ProcessPoolExecutor ex = Pool.builder().cluster(address.toString()).processes(1).buildExecutor();
        try {
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                fs.add(ex.submit(() -> {
                    Thread.sleep(20);
                    return ProcessHandle.current().pid();
                }));
            }
            for (Future<Long> f : fs) {
                assertTrue(ex.workerPids().contains(f.get(60, TimeUnit.SECONDS)));
            }
        } finally {
            ex.shutdown();
            assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertTrue(ex.isTerminated());
    }

    @Test
    void closedPoolRefusesAndTerminates() throws Exception {
        Pool pool = Pool.builder().cluster(address.toString()).build();
        AsyncResult<String> r = pool.applyAsync(() -> "queued before close");
        pool.close();
        assertEquals("queued before close", r.get(1, TimeUnit.SECONDS), "close lets queued tasks finish");
        assertTrue(pool.isTerminated());
        assertFalse(pool.isRunning());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
        assertTrue(e.getMessage().contains("not running"), e.getMessage());
    }

    @Test
    void executorSubmitRunsOnTheNode() throws Exception {
        ProcessPoolExecutor ex = Pool.builder().cluster(address.toString()).buildExecutor();
        try {
            Future<String> f = ex.submit(() -> "from " + ProcessHandle.current().pid());
            String s = f.get(60, TimeUnit.SECONDS);
            assertTrue(s.startsWith("from "), s);
            long pid = Long.parseLong(s.substring(5));
            assertTrue(ex.workerPids().contains(pid), pid + " not in " + ex.workerPids());
            Future<?> failing = ex.submit(() -> {
                throw new ArithmeticException("divided on a node");
            });
            var thrown = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> failing.get(60, TimeUnit.SECONDS));
            assertTrue(thrown.getCause() instanceof ArithmeticException, String.valueOf(thrown.getCause()));
            assertEquals("divided on a node", thrown.getCause().getMessage());
        } finally {
            ex.shutdown();
            assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void anUnreachableClusterFailsTheBuildWithinTheBound() throws Exception {
        String nobody = PoolNode.address(1).toString();
        System.setProperty(ClusterClient.CONNECT_TIMEOUT_PROPERTY, "1500"); // the bound a user may set
        try {
            long t0 = System.nanoTime();
            ClusterException e = assertThrows(ClusterException.class, () -> Pool.builder().cluster(nobody).build());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
            assertTrue(e.getMessage().contains("bound 1500 ms"), e.getMessage());
            assertFalse(e.getMessage().contains(ClusterAddress.parse(nobody).token()), "the token in " + e.getMessage());
            assertTrue(millis >= 1_500 && millis < 1_500 + 5_000, "failed after " + millis + " ms");
        } finally {
            System.clearProperty(ClusterClient.CONNECT_TIMEOUT_PROPERTY);
        }
    }

    @Test
    void aForgedTaskIsRefusedByTheNodeAndKeptAsADeadLetter() throws Exception {
        var hz = ClusterClient.of(address).hazelcast();
        com.hazelcast.collection.IQueue<byte[]> dead = hz.getQueue(io.ipckit.cluster.internal.pool.Wire.DEAD);
        dead.clear();
        byte[] forged = "not sealed with the token: run rm -rf /".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        hz.<byte[]>getQueue(io.ipckit.cluster.internal.pool.Wire.TASKS).offer(forged);
        byte[] kept = dead.poll(30, TimeUnit.SECONDS);
        assertTrue(kept != null, "the forged task was not kept on " + io.ipckit.cluster.internal.pool.Wire.DEAD);
        assertEquals(new String(forged, java.nio.charset.StandardCharsets.UTF_8),
                new String(kept, java.nio.charset.StandardCharsets.UTF_8));
        try (Pool pool = Pool.builder().cluster(address.toString()).build()) {
            assertEquals("still serving", pool.apply(() -> "still serving"));
        }
    }
}
