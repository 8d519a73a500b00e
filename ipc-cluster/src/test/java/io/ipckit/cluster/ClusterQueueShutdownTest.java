package io.ipckit.cluster;

import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.ClusterQueue;
import io.ipckit.cluster.test.Cluster;
import io.ipckit.cluster.test.ShutdownChildMain;
import io.ipckit.core.Codec;
import io.ipckit.core.ConsumerDiedException;
import io.ipckit.core.QueueShutDownException;
import io.ipckit.core.SharedQueue;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Queue shutdown (Python 3.13), consumers and addAll on the cluster, with a member JVM and client JVMs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterQueueShutdownTest extends LeakCheckingTest {
    @TempDir
    Path logs;

    @Test
    void aTakerBlockedInAnotherJvmWakesOnShutdownAndADeadHolderIsSeen() throws Exception {
        try (Children children = new Children(logs)) {
            Cluster cluster = new Cluster(children, 1);
            cluster.start(0);
            try (ClusterClient client = ClusterClient.connect(cluster.address(), ClusterClient.CONNECT_TIMEOUT)) {
                ClusterQueue<String> q = queue(client, "jobs", true);
                Process taker = children.start(ShutdownChildMain.class, cluster.address().toString(), "jobs",
                        "until-shutdown");
                children.awaitOutput(taker, "ready", 60);
                q.put("a");
                q.put("b");
                children.awaitOutput(taker, "got:b", 30);
                Thread.sleep(500); // the taker is blocked in get() on the empty queue
                assertTrue(taker.isAlive(), children.logOf(taker));
                long shutAt = System.currentTimeMillis();
                q.shutdown();
                assertEquals(0, children.await(taker, 30), children.logOf(taker));
                String log = children.logOf(taker);
                long wokenAt = Long.parseLong(log.substring(log.indexOf("woken-at-millis:") + 16).split("[ \\n]")[0]);
                System.out.println("taker in another JVM woke " + (wokenAt - shutAt) + " ms after shutdown()");
                assertTrue(wokenAt - shutAt < 5_000, "woke " + (wokenAt - shutAt) + " ms after the shutdown");
                assertTrue(log.contains("was shut down and is empty"), log);

                assertTrue(q.isShutDown());
                assertThrows(QueueShutDownException.class, () -> q.put("c"));
                assertThrows(QueueShutDownException.class, () -> q.addAll(List.of("c", "d")));
                assertThrows(QueueShutDownException.class, q::get);

                // The taker exited holding "b" (taken, never marked done): seen dead, and join() says so.
                List<SharedQueue.Consumer> consumers = q.consumers();
                assertEquals(1, consumers.size(), consumers.toString());
                SharedQueue.Consumer c = consumers.get(0);
                assertEquals(taker.pid(), c.pid());
                assertFalse(c.alive());
                assertEquals(2, c.taken());
                assertEquals(1, c.unfinished());
                ConsumerDiedException died = assertThrows(ConsumerDiedException.class,
                        () -> q.join(10, TimeUnit.SECONDS));
                assertEquals(taker.pid(), died.pid());

                // kill -9 of a consumer holding an item: listed as dead, holding it.
                ClusterQueue<String> held = queue(client, "held", true);
                held.put("x");
                Process holder = children.start(ShutdownChildMain.class, cluster.address().toString(), "held",
                        "hold-one");
                children.awaitOutput(holder, "holding:x", 60);
                SharedQueue.Consumer alive = awaitConsumer(held, holder.pid(), true);
                assertEquals(1, alive.unfinished());
                holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                SharedQueue.Consumer dead = awaitConsumer(held, holder.pid(), false);
                assertEquals(1, dead.taken());
                assertEquals(1, dead.unfinished());
            }
        }
    }

    @Test
    void shutdownDrainsOrEmptiesAndWakesBlockedCallersOfAnotherClient() throws Exception {
        try (Children children = new Children(logs)) {
            Cluster cluster = new Cluster(children, 1);
            cluster.start(0);
            try (ClusterClient a = ClusterClient.connect(cluster.address(), ClusterClient.CONNECT_TIMEOUT);
                 ClusterClient b = ClusterClient.connect(cluster.address(), ClusterClient.CONNECT_TIMEOUT)) {
                // Not immediate: puts fail, gets take what is left, then fail; drainTo gives the rest.
                ClusterQueue<Integer> q = queue(a, "plain", true);
                q.addAll(List.of(1, 2, 3, 4));
                q.shutdown(false);
                assertThrows(QueueShutDownException.class, () -> q.put(5));
                assertThrows(QueueShutDownException.class, () -> q.offer(5));
                assertEquals(1, q.get());
                assertEquals(2, q.poll(1, TimeUnit.SECONDS));
                List<Integer> rest = new ArrayList<>();
                assertEquals(2, q.drainTo(rest));
                assertEquals(List.of(3, 4), rest);
                assertThrows(QueueShutDownException.class, q::getNowait);
                assertThrows(QueueShutDownException.class, () -> q.poll(1, TimeUnit.SECONDS));
                assertEquals(0, q.drainTo(rest));
                q.shutdown(false); // twice: harmless

                // Immediate: emptied at once, the items count as done, gets fail at once.
                ClusterQueue<Integer> now = queue(a, "now", true);
                now.addAll(List.of(1, 2, 3));
                now.shutdown(true);
                assertEquals(0, now.size());
                assertEquals(0, now.unfinishedTasks());
                assertTrue(now.join(1, TimeUnit.SECONDS));
                assertThrows(QueueShutDownException.class, now::getNowait);

                // A getter and a putter blocked through client a wake when client b shuts their queues down.
                ClusterQueue<Integer> empty = queue(a, "empty", false);
                ClusterQueue<Integer> full = ClusterQueue.create(a.hazelcast(), a.sealer(), Codec.defaults(), "full",
                        1, false);
                full.put(0);
                CompletableFuture<Integer> getter = CompletableFuture.supplyAsync(() -> call(empty::take));
                CompletableFuture<Boolean> putter = CompletableFuture.supplyAsync(
                        () -> call(() -> full.offer(1, 60, TimeUnit.SECONDS)));
                Thread.sleep(1500); // both blocked, past a wait slice
                assertFalse(getter.isDone());
                assertFalse(putter.isDone());
                long t0 = System.nanoTime();
                queue(b, "empty", false).shutdown(true);
                ClusterQueue.create(b.hazelcast(), b.sealer(), Codec.defaults(), "full", 1, false).shutdown(false);
                assertInstanceOf(QueueShutDownException.class, cause(getter));
                assertInstanceOf(QueueShutDownException.class, cause(putter));
                System.out.println("blocked getter and putter of another client woke in "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms");
                assertTrue(empty.isShutDown());
                assertFalse(Thread.currentThread().isInterrupted());
                assertEquals(List.of(), queue(a, "untouched", false).consumers());

                // addAll: one batch when there is room; on a bounded queue without room for all, as many as fit.
                ClusterQueue<Integer> bounded = ClusterQueue.create(a.hazelcast(), a.sealer(), Codec.defaults(),
                        "bounded", 2, true);
                assertThrows(NullPointerException.class, () -> bounded.addAll(java.util.Arrays.asList(1, null)));
                assertEquals(0, bounded.size(), "nothing put when an element is null");
                assertThrows(io.ipckit.core.FullException.class, () -> bounded.addAll(List.of(1, 2, 3)));
                assertEquals(2, bounded.size());
                assertEquals(2, bounded.unfinishedTasks());
                assertThrows(IllegalArgumentException.class, () -> bounded.addAll(bounded));
                List<Integer> out = new ArrayList<>();
                assertEquals(2, bounded.drainTo(out, 5));
                assertEquals(List.of(1, 2), out);
                assertTrue(bounded.addAll(List.of(7, 8)));
                assertEquals(4, bounded.unfinishedTasks());
            }
        }
    }

    private static Throwable cause(CompletableFuture<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause() instanceof IllegalStateException && e.getCause().getCause() != null
                && !(e.getCause() instanceof QueueShutDownException) ? e.getCause().getCause() : e.getCause();
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SharedQueue.Consumer awaitConsumer(ClusterQueue<?> q, long pid, boolean alive) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<SharedQueue.Consumer> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = q.consumers();
            for (SharedQueue.Consumer c : seen) {
                if (c.pid() == pid && c.alive() == alive) {
                    return c;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("consumer " + pid + " never listed with alive=" + alive + ": " + seen);
    }

    private static <E> ClusterQueue<E> queue(ClusterClient client, String name, boolean joinable) {
        return ClusterQueue.create(client.hazelcast(), client.sealer(), Codec.defaults(), name, 0, joinable);
    }
}
