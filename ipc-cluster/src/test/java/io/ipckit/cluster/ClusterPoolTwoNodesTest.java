package io.ipckit.cluster;

import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.test.Cluster;
import io.ipckit.cluster.test.PoolNode;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.pool.AsyncResult;
import io.ipckit.pool.Pool;
import io.ipckit.pool.WorkerCrashedException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster pool on two node JVMs of one worker each: short tasks are taken ahead in batches and every one
 * comes back once, yet longer tasks arriving together afterwards are shared by the two nodes instead of
 * being taken ahead by one; with retries, a node killed (kill -9) while it holds tasks taken ahead costs
 * none of them (in the stress group, see there).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterPoolTwoNodesTest extends LeakCheckingTest {
    @TempDir
    Path dir;

    private static long node() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    private static Pool pool(ClusterAddress address, String name, int retries) throws Exception {
        Pool pool = Pool.builder().cluster(address.toString()).name(name).retries(retries).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pool.workerPids().size() < 2) {
            if (System.nanoTime() > deadline) {
                pool.terminate();
                throw new AssertionError("the two nodes' workers not up in 60 s: " + pool.workerPids());
            }
            Thread.sleep(50);
        }
        return pool;
    }

    @Test
    void shortTasksTakenAheadAndLongOnesShared() throws Exception {
        withTwoNodes(1, (pool, nodes, address, children) -> burstAndSlowTasks(pool, nodes));
    }

    /**
     * With retries, a node killed while both hold tasks taken ahead costs none of them. In the stress group
     * (3,000 tasks and a kill). It found a hole: in two fresh-clone CI runs of five (2026-12-01), and in one
     * run of six here, one task had no outcome 60 s after the kill, because a live node had reported taking
     * it and its outcome was lost on its way (a take of the caller's result queue cut by the death of the
     * member owning it is redone, and the redo finds the item gone). The caller's round after a departure
     * ({@code NodeLoss}: the task queue, then a probe of the live nodes) finds such a task; 16 runs of 16
     * passed after it (2026-12-01).
     */
    @Test
    @Tag("stress")
    void aKilledNodesTasksTakenAhead_runOnTheOther() throws Exception {
        withTwoNodes(1, (pool, nodes, address, children) -> {
            burstAndSlowTasks(pool, nodes);
            killWithTasksTakenAhead(pool, nodes, address, children, true);
        });
    }

    /**
     * Without retries, a node killed while both hold tasks taken ahead: every task has one outcome, its
     * result or a {@link WorkerCrashedException} (those the dead node held, and any whose outcome was lost
     * on its way), none is left without one. In the stress group, as the form above.
     */
    @Test
    @Tag("stress")
    void withoutRetries_aKilledNodesTasksEachFailOnce_noneIsLeftWithoutAnOutcome() throws Exception {
        withTwoNodes(0, (pool, nodes, address, children) -> killWithTasksTakenAhead(pool, nodes, address, children, false));
    }

    /**
     * A task that runs longer than two watch periods ({@code NodeLoss.WATCH}, 30 s) is checked by a watch
     * round's probe while it runs; its node names it, so it keeps its result (not failed as lost). In the
     * stress group: it takes about 70 s.
     */
    @Test
    @Tag("stress")
    void aTaskRunningPastTheWatch_isNamedByItsNode_andKeepsItsResult() throws Exception {
        withTwoNodes(0, (pool, nodes, address, children) -> {
            AsyncResult<Long> longTask = pool.applyAsync(() -> {
                Thread.sleep(65_000);
                return node();
            });
            AsyncResult<Integer> shortTask = pool.applyAsync(() -> 7);
            assertEquals(7, shortTask.get(30, TimeUnit.SECONDS));
            long ranOn = longTask.get(100, TimeUnit.SECONDS);
            assertTrue(ranOn == nodes[0].pid() || ranOn == nodes[1].pid(), "ran on a node: " + ranOn);
        });
    }

    /** What a test does with two node JVMs of one worker each and a pool on them. */
    @FunctionalInterface
    private interface TwoNodes {
        void run(Pool pool, Process[] nodes, ClusterAddress address, Children children) throws Exception;
    }

    private void withTwoNodes(int retries, TwoNodes body) throws Exception {
        ClusterAddress address = PoolNode.address(2);
        try (Children children = new Children(dir)) {
            Process[] nodes = {PoolNode.start(children, address, 0, 1), PoolNode.start(children, address, 1, 1)};
            try (Pool pool = pool(address, "two-nodes", retries)) {
                body.run(pool, nodes, address, children);
            } finally {
                ClusterClient.closeAll();
            }
        }
    }

    private static void burstAndSlowTasks(Pool pool, Process[] nodes) throws Exception {
        List<AsyncResult<Integer>> burst = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int k = i;
            burst.add(pool.applyAsync(() -> k));
        }
        for (int i = 0; i < burst.size(); i++) {
            assertEquals(i, burst.get(i).get(60, TimeUnit.SECONDS), "task " + i + "'s own result");
        }
        Thread.sleep(100); // the nodes wait for more: what they took ahead is done
        List<AsyncResult<Long>> slow = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            slow.add(pool.applyAsync(() -> {
                Thread.sleep(1_500);
                return node();
            }));
        }
        Map<Long, Integer> perNode = new TreeMap<>();
        for (AsyncResult<Long> r : slow) {
            perNode.merge(r.get(60, TimeUnit.SECONDS), 1, Integer::sum);
        }
        assertEquals(Map.of(nodes[0].pid(), 2, nodes[1].pid(), 2), perNode,
                "four 1.5 s tasks on two nodes of one worker: two each");
    }

    /**
     * kill -9 of a node while both hold tasks taken ahead (once the pool's queues are backed up on both
     * nodes): with {@code retried} (the pool has retries(1)) each task still has its result; without, each
     * has its result or a WorkerCrashedException.
     */
    private static void killWithTasksTakenAhead(Pool pool, Process[] nodes, ClusterAddress address, Children children,
                                                boolean retried) throws Exception {
        Cluster.awaitSafe(address, 30);
        List<AsyncResult<long[]>> tasks = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            int k = i;
            tasks.add(pool.applyAsync(() -> {
                long until = System.nanoTime() + 300_000; // 0.3 ms: short enough to be taken ahead
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return new long[] {k, node()};
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!tasks.get(200).ready()) {
            assertTrue(System.nanoTime() < deadline, "200 tasks not done in 60 s");
            Thread.sleep(5);
        }
        nodes[0].destroyForcibly();
        int onSurvivor = 0;
        int crashed = 0;
        for (int i = 0; i < tasks.size(); i++) {
            long[] r;
            try {
                r = tasks.get(i).get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (retried || !(e.getCause() instanceof WorkerCrashedException)) {
                    throw e;
                }
                crashed++;
                continue;
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("task " + i + " of 3,000 has no outcome 60 s after the kill -9 of"
                        + " node " + nodes[0].pid() + "; survivor's log:\n" + children.logOf(nodes[1])
                        + "\nkilled node's log:\n" + children.logOf(nodes[0]), e);
            }
            assertEquals(i, r[0], "task " + i + "'s own result");
            if (r[1] == nodes[1].pid()) {
                onSurvivor++;
            }
        }
        assertTrue(onSurvivor > 0, "no task ran on the surviving node");
        if (!retried) {
            assertTrue(crashed > 0, "the killed node held tasks taken ahead: some fail");
        }
    }
}
