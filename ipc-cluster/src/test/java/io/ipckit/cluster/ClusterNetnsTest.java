package io.ipckit.cluster;

import io.ipckit.cluster.test.Cluster;
import io.ipckit.cluster.test.LockChildMain;
import io.ipckit.cluster.test.NetNamespaces;
import io.ipckit.core.Manager;
import io.ipckit.core.SharedLock;
import io.ipckit.core.SharedMap;
import io.ipckit.core.SharedQueue;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster across hosts made on this machine: two members, each in its own network namespace joined to
 * this one by a veth pair and a bridge (with 5 ms of added delay each way where the kernel has tc netem),
 * this JVM a client from outside, and a third namespace for a client whose network is cut. Skipped where
 * namespaces cannot be made (not root, no iproute2). A long form (tagged {@code stress}: it needs root, makes
 * network devices and takes about half a minute): {@code -Dipckit.test.groups=stress}.
 */
@org.junit.jupiter.api.Tag("stress")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterNetnsTest extends LeakCheckingTest {
    private static final int DELAY_MILLIS = 5;
    @TempDir
    static Path logs;
    private static NetNamespaces nets;
    private static Children children;
    private static ClusterAddress address;
    private static List<java.lang.Process> members;
    private static boolean delayed;

    @BeforeAll
    static void startMembers() throws Exception {
        try {
            nets = NetNamespaces.create(3);
        } catch (NetNamespaces.Unavailable e) {
            Assumptions.abort("no network namespaces on this machine: " + e.getMessage());
        }
        delayed = nets.addDelay(0, DELAY_MILLIS) && nets.addDelay(1, DELAY_MILLIS);
        System.out.println(delayed ? "members " + DELAY_MILLIS + " ms away (tc netem)"
                : "no tc netem in this kernel: members on veth links without added delay");
        children = new Children(logs);
        address = ClusterAddress.create("netns", List.of(new ClusterAddress.Member(nets.ip(0), 5701),
                new ClusterAddress.Member(nets.ip(1), 5701)));
        Cluster cluster = new Cluster(children, address, nets::exec);
        members = List.of(cluster.start(0), cluster.start(1));
        // one cluster, not two: the second member joined the first across the bridge (a member that cannot
        // reach the other in time starts a cluster of its own, and the kill test would then lose its items)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ClusterInfo.of(address).members().size() < 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the two members in their namespaces did not form one cluster in 30 s; logs:\n"
                        + children.logOf(members.get(0)) + "\n" + children.logOf(members.get(1)));
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopMembers() throws Exception {
        try {
            if (children != null) {
                children.close();
            }
        } finally {
            if (nets != null) {
                nets.close();
            }
        }
    }

    @Test
    void aClientFromAnotherHost_queueMapAndLock_andAMembersKillLosesNoItem() throws Exception {
        try (Manager m = Manager.connect(address.toString())) {
            // backups in place before the puts, so the kill below loses none (see Cluster.awaitSafe)
            Cluster.awaitSafe(address, 30);
            SharedQueue<Integer> q = m.queue("netns-queue");
            List<Integer> put = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                q.put(i);
                put.add(i);
            }
            SharedMap<String, Integer> map = m.map("netns-map");
            map.put("a", 1);
            SharedLock lock = m.lock("netns-lock");
            lock.lock();
            lock.unlock();
            java.lang.Process victim = members.get(0).isAlive() ? members.get(0) : members.get(1);
            victim.destroyForcibly();
            assertTrue(victim.waitFor(10, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            List<Integer> taken = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                taken.add(q.get(60, TimeUnit.SECONDS));
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(put, taken, "every item put before the member's kill, in order");
            assertEquals(1, map.get("a"));
            assertTrue(lock.tryLock(30, TimeUnit.SECONDS));
            lock.unlock();
            System.out.println("200 items taken " + ms + " ms after a member's kill -9, across namespaces"
                    + (delayed ? " (" + DELAY_MILLIS + " ms delay)" : ""));
        }
    }

    @Test
    void aLockHoldersNetworkCut_theLockIsFreeAfterTheClientTimeout() throws Exception {
        java.lang.Process holder = children.start(nets.exec(2), LockChildMain.class, List.of(), address.toString(),
                "netns-cut-holder");
        try (Manager m = Manager.connect(address.toString())) {
            children.awaitOutput(holder, "locked", 90);
            SharedLock lock = m.rlock("netns-cut-holder");
            assertFalse(lock.tryLock(200, TimeUnit.MILLISECONDS), "held by the client in the third namespace");
            nets.linkDown(2);
            long t0 = System.nanoTime();
            assertTrue(lock.tryLock(60, TimeUnit.SECONDS), "the lock of a holder cut off was not free in 60 s");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            lock.unlock();
            assertTrue(holder.isAlive(), "the holder lives on, cut off");
            System.out.println("lock free " + ms + " ms after its holder's network was cut (client timeout "
                    + Cluster.CLIENT_TIMEOUT_MILLIS + " ms)");
            assertTrue(ms < Cluster.CLIENT_TIMEOUT_MILLIS + 15_000, "free after " + ms + " ms");
        } finally {
            nets.linkUp(2);
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
