package io.ipckit.cluster;

import io.ipckit.cluster.test.Cluster;
import io.ipckit.cluster.test.ObjectChildMain;
import io.ipckit.cluster.test.Tally;
import io.ipckit.core.Manager;
import io.ipckit.core.SharedQueue;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Objects of the user's own types on the cluster: hosted by one node, called through proxies from any
 * process, and started afresh from their factory in another node when their node is killed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterObjectTest extends LeakCheckingTest {
    @TempDir
    static Path logs;
    private static Children children;
    private static Cluster cluster;
    private static List<java.lang.Process> members;

    @BeforeAll
    static void startMembers() throws Exception {
        children = new Children(logs);
        cluster = new Cluster(children, 2);
        members = List.of(cluster.start(0), cluster.start(1));
    }

    @AfterAll
    static void stopMembers() throws Exception {
        children.close();
    }

    @Test
    void registerOnce_callFromHereAndFromAnotherJvm_errorsAsLocally() throws Exception {
        try (Manager m = Manager.connect(cluster.address().toString())) {
            m.register("tally", Tally.class, () -> new Tally.Counting(100));
            Tally t = m.proxy("tally", Tally.class);
            assertEquals(101, t.add(1));
            assertEquals(103, t.add(2));
            assertTrue(members.stream().anyMatch(p -> p.pid() == t.pid()), "hosted in a node");
            m.register("tally", Tally.class, () -> new Tally.Counting(0)); // get-or-create: not made again
            assertEquals(103, t.get());
            assertEquals(t, m.proxy("tally", Tally.class));
            assertTrue(t.toString().contains("object 'tally' in cluster"), t.toString());

            IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                    () -> m.register("tally", Runnable.class, () -> () -> { }));
            assertTrue(other.getMessage().contains("registered with interface " + Tally.class.getName()), other.getMessage());
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> m.proxy("nothing", Tally.class));
            assertTrue(none.getMessage().contains("no object 'nothing' is registered"), none.getMessage());
            IllegalArgumentException notImplemented = assertThrows(IllegalArgumentException.class,
                    () -> m.proxy("tally", Runnable.class));
            assertTrue(notImplemented.getMessage().contains("does not implement java.lang.Runnable"), notImplemented.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.register("x", Tally.Counting.class, () -> new Tally.Counting(0)));
            IllegalArgumentException nullFactory = assertThrows(IllegalArgumentException.class,
                    () -> m.register("null-made", Tally.class, () -> null));
            assertTrue(nullFactory.getMessage().contains("returned null"), nullFactory.getMessage());

            IOException declared = assertThrows(IOException.class, () -> t.fail("declared"));
            assertEquals("declared", declared.getMessage());
            IllegalStateException unchecked = assertThrows(IllegalStateException.class, () -> t.fail("unchecked"));
            assertEquals("unchecked", unchecked.getMessage());
            assertEquals(103, t.get(), "the object is still usable after its methods threw");

            SharedQueue<Tally> q = m.queue("tallies");
            q.put(t);
            java.lang.Process child = children.start(ObjectChildMain.class, cluster.address().toString(), "tallies");
            assertEquals(0, children.await(child, 60));
            assertEquals(113, t.get(), "the proxy that travelled called the same object");
        }
    }

    @Test
    void itsNodeKilled_aCallRunningThereFails_thenTheObjectStartsAfreshInTheOtherNode() throws Exception {
        try (Manager m = Manager.connect(cluster.address().toString())) {
            m.register("fragile", Tally.class, () -> new Tally.Counting(7));
            Tally t = m.proxy("fragile", Tally.class);
            assertEquals(8, t.add(1));
            long hostPid = t.pid();
            java.lang.Process host = members.stream().filter(p -> p.pid() == hostPid).findFirst().orElseThrow();
            CompletableFuture<Long> running = CompletableFuture.supplyAsync(() -> t.slow(60_000));
            Thread.sleep(500);
            host.destroyForcibly();
            assertTrue(host.waitFor(10, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            ExecutionException cut = assertThrows(ExecutionException.class, () -> running.get(60, TimeUnit.SECONDS));
            long cutMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(cut.getCause() instanceof ClusterException, String.valueOf(cut.getCause()));
            assertTrue(cut.getCause().getMessage().contains("left during the call"), cut.getCause().getMessage());

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long movedAfterMs;
            while (true) {
                try {
                    assertEquals(8, t.add(1), "started afresh from its factory (7), then one added");
                    movedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    break;
                } catch (ClusterException | ClusterUnreachableException e) {
                    assertTrue(System.nanoTime() < deadline, "the object did not move within 60 s: " + e);
                    Thread.sleep(200);
                }
            }
            assertNotEquals(hostPid, t.pid());
            System.out.println("the running call failed " + cutMs + " ms after the kill; the object answered again from"
                    + " the other node " + movedAfterMs + " ms after it (member timeout "
                    + Cluster.MEMBER_TIMEOUT_SECONDS + " s)");
        }
    }
}
