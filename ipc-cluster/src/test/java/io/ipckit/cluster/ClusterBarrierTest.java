package io.ipckit.cluster;

import io.ipckit.cluster.test.BarrierChildMain;
import io.ipckit.cluster.test.Cluster;
import io.ipckit.core.Manager;
import io.ipckit.core.SerializableRunnable;
import io.ipckit.core.SharedBarrier;
import io.ipckit.core.SharedLong;
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

/**
 * Barriers on the cluster: generations, timeouts, reset, actions (run once per generation by the party that
 * trips it, in its process), and a waiting or tripping party's kill -9 breaking it.
 */
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
    @Test
    void anAction_runsOncePerGeneration_beforeAnyPartyPasses_inTheTrippingPartysProcess() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Manager m = Manager.connect(cluster.address().toString())) {
            SharedLong generations = m.sharedLong("action-generations");
            SharedLong pids = m.sharedLong("action-pid");
            SerializableRunnable action = () -> {
                generations.incrementAndGet();
                pids.set(ProcessHandle.current().pid());
            };
            SharedBarrier b = m.barrier("action", 2, action, null);
            IllegalArgumentException without = assertThrows(IllegalArgumentException.class, () -> m.barrier("action", 2));
            assertTrue(without.getMessage().contains("exists with an action"), without.getMessage());
            m.barrier("plain", 2);
            IllegalArgumentException with = assertThrows(IllegalArgumentException.class,
                    () -> m.barrier("plain", 2, () -> { }, null));
            assertTrue(with.getMessage().contains("exists without an action"), with.getMessage());
            for (int round = 1; round <= 3; round++) {
                List<Future<Long>> fs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    fs.add(threads.submit(() -> {
                        b.await(30, TimeUnit.SECONDS);
                        return generations.get(); // what every party sees once it passed
                    }));
                }
                for (Future<Long> f : fs) {
                    assertEquals(round, f.get(60, TimeUnit.SECONDS), "round " + round);
                }
            }
            assertEquals(ProcessHandle.current().pid(), pids.get());
            // a party in another JVM trips it: the action (the creator's) runs there
            java.lang.Process child = children.start(BarrierChildMain.class, cluster.address().toString(), "action", "2", "action");
            Future<Integer> mine = threads.submit(() -> b.await(60, TimeUnit.SECONDS));
            assertEquals(0, mine.get(60, TimeUnit.SECONDS));
            assertEquals(4, generations.get());
            assertEquals(child.pid(), pids.get());
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, child.exitValue());
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anActionThatThrows_breaksTheBarrier_theTripperGetsTheCause_resetMends() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(1);
        try (Manager m = Manager.connect(cluster.address().toString())) {
            SharedLong fail = m.sharedLong("failing-action-fails");
            fail.set(1);
            SharedBarrier b = m.barrier("failing", 2, () -> {
                if (fail.get() == 1) {
                    throw new IllegalStateException("the action failed on purpose");
                }
            }, null);
            Future<Integer> first = threads.submit(() -> b.await(30, TimeUnit.SECONDS));
            awaitWaiting(b, 1);
            BrokenBarrierException tripper = assertThrows(BrokenBarrierException.class, () -> b.await(30, TimeUnit.SECONDS));
            assertTrue(tripper.getCause() instanceof IllegalStateException, String.valueOf(tripper.getCause()));
            java.util.concurrent.ExecutionException other = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> first.get(30, TimeUnit.SECONDS));
            assertTrue(other.getCause() instanceof BrokenBarrierException, String.valueOf(other.getCause()));
            assertTrue(other.getCause().getMessage().contains("the action failed on purpose"), other.getCause().getMessage());
            assertEquals(null, other.getCause().getCause());
            assertTrue(b.isBroken());
            b.reset();
            fail.set(0);
            Future<Integer> again = threads.submit(() -> b.await(30, TimeUnit.SECONDS));
            int mine = b.await(30, TimeUnit.SECONDS);
            assertEquals(Set.of(0, 1), Set.of(mine, again.get(30, TimeUnit.SECONDS)));
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void theTrippingPartyKilledWhileItsActionRuns_breaksTheBarrier_withinTheBound_andWaitersWaitOutTheAction()
            throws Exception {
        try (Manager m = Manager.connect(cluster.address().toString())) {
            SharedBarrier b = m.barrier("slow-action", 2, ClusterBarrierTest::slowAction, null);
            ExecutorService threads = Executors.newFixedThreadPool(1);
            try {
                java.lang.Process child = children.start(BarrierChildMain.class, cluster.address().toString(),
                        "slow-action", "2", "action");
                children.awaitOutput(child, "READY", 60);
                // this party's timeout passes while the child's action runs: it waits on, as CyclicBarrier's do
                Future<Integer> mine = threads.submit(() -> b.await(2, TimeUnit.SECONDS));
                children.awaitOutput(child, "ACTION", 60);
                Thread.sleep(2_500);
                assertFalse(mine.isDone(), "a party left while the action ran");
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
                long t0 = System.nanoTime();
                java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> mine.get(60, TimeUnit.SECONDS));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(e.getCause() instanceof BrokenBarrierException, String.valueOf(e.getCause()));
                assertTrue(e.getCause().getMessage().contains("died or left"), e.getCause().getMessage());
                assertTrue(ms < Cluster.CLIENT_TIMEOUT_MILLIS + 10_000, "broken after " + ms + " ms");
                System.out.println("barrier broken " + ms + " ms after its tripping party's kill (client timeout "
                        + Cluster.CLIENT_TIMEOUT_MILLIS + " ms)");
            } finally {
                threads.shutdownNow();
                assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }

    /** The action of the barrier whose tripping party is killed: says so, then runs for a minute. */
    private static void slowAction() {
        System.out.println("ACTION");
        System.out.flush();
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(60));
    }

    private static void awaitWaiting(SharedBarrier b, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (b.getNumberWaiting() < n) {
            assertTrue(System.nanoTime() < deadline, "no party arrived at " + b);
            Thread.sleep(10);
        }
    }
}
