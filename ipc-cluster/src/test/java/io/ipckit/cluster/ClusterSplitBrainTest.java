package io.ipckit.cluster;

import io.ipckit.cluster.test.Cluster;
import io.ipckit.cluster.test.Tally;
import io.ipckit.core.Manager;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Objects of the user's own types through a split brain and its merge, with three member JVMs: the first
 * member, hosting several objects, is frozen ({@code kill -STOP}) past the member failure detection, so the other two remove
 * it and, at the next call, take its objects over afresh from their factories; once thawed ({@code kill
 * -CONT}) it finds itself alone, a cluster of its own still holding its pre-split copies, until Hazelcast
 * merges it back into the larger half. After the merge each object has one live copy, the takeover's: proxies
 * made before the split (whose remembered host is the old one), the proxy that made the takeover and fresh
 * proxies all see its state and continue it, never the old host's stale copy; and when the two other members
 * are then killed one after the other, so the objects end in the old host (which has a new member uuid since
 * the merge), each takeover starts them afresh from their factory, never from the stale copy the old host may
 * still hold. The members run Hazelcast's split-brain merge every {@value #MERGE_DELAY_SECONDS} s instead of
 * after 300 s and then every 120 s. When the two others split apart as well (on a busy machine one may miss
 * heartbeats for the 4 s member timeout meanwhile, seen in their logs), the merges run in another order and the
 * test is aborted, not failed: that is not the case it shows. A long form (tagged {@code stress}: about 40 s,
 * a frozen JVM): {@code -Dipckit.test.groups=stress}.
 */
@Tag("stress")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterSplitBrainTest extends LeakCheckingTest {
    /** Hazelcast's first and next split-brain merge delays in the members, seconds. */
    private static final int MERGE_DELAY_SECONDS = 5;
    /** Objects registered: spread over the members by their names' partitions, so several live in one. */
    private static final int OBJECTS = 18;
    /** How long the frozen member stays frozen at least: well past the member failure detection. */
    private static final long FROZEN_MILLIS = TimeUnit.SECONDS.toMillis(Cluster.MEMBER_TIMEOUT_SECONDS * 2L);
    @TempDir
    static Path logs;
    private static Children children;
    private static Cluster cluster;
    private static List<java.lang.Process> members;

    @BeforeAll
    static void startMembers() throws Exception {
        children = new Children(logs);
        cluster = new Cluster(children, 3);
        List<String> options = List.of("-Dhazelcast.merge.first.run.delay.seconds=" + MERGE_DELAY_SECONDS,
                "-Dhazelcast.merge.next.run.delay.seconds=" + MERGE_DELAY_SECONDS,
                "-Dhazelcast.logging.type=jdk"); // the member's log shows its lifecycle ("is MERGED")
        List<java.lang.Process> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            started.add(cluster.start(i, 1, options));
        }
        members = List.copyOf(started);
        awaitMembers(3, 30);
        // and the partitions spread over the three, each with its backup (the master logs it), before any
        // registration: an entry whose backup is not yet made would be lost with the member frozen below
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String log = children.logOf(members.get(0));
            int three = log.indexOf("Members {size:3");
            if (three >= 0 && log.indexOf("All migration tasks have been completed", three) >= 0) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the partitions did not settle on three members within 30 s; log:\n" + log);
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stopMembers() throws Exception {
        if (children != null) {
            for (java.lang.Process p : members == null ? List.<java.lang.Process>of() : members) {
                signal(p.pid(), "CONT"); // a frozen JVM is killed as well, but thawed first all the same
            }
            children.close();
        }
    }

    @Test
    void hostFrozenPastFailureDetection_majorityTakesItsObjectsOver_afterTheMergeOnlyTheTakeoverCopyAnswers()
            throws Exception {
        try (Manager m = Manager.connect(cluster.address().toString())) {
            Map<String, Tally> proxies = new LinkedHashMap<>();
            Map<String, Tally> before = new LinkedHashMap<>(); // a second proxy, used before the split and after the merge
            Map<String, Long> hostPid = new LinkedHashMap<>();
            for (int i = 0; i < OBJECTS; i++) {
                String name = "split-" + i;
                m.register(name, Tally.class, () -> new Tally.Counting(0));
                Tally t = m.proxy(name, Tally.class);
                assertEquals(5, t.add(5));
                hostPid.put(name, t.pid());
                proxies.put(name, t);
                Tally other = m.proxy(name, Tally.class);
                assertEquals(5, other.get());
                before.put(name, other);
            }
            // freeze the first member, the cluster's master (the other two elect a new one among themselves; with a
            // frozen member that was not the master, the master itself more often missed heartbeats to the third
            // meanwhile here, and the cluster fell apart further)
            long frozen = members.get(0).pid();
            List<String> stale = new ArrayList<>();
            hostPid.forEach((name, pid) -> {
                if (pid == frozen) {
                    stale.add(name);
                }
            });
            assertTrue(!stale.isEmpty(), "no object in the first member: hosts " + hostPid);
            java.lang.Process frozenMember = members.stream().filter(p -> p.pid() == frozen).findFirst().orElseThrow();
            System.out.println("objects " + stale + " hosted in member " + frozen + "; freezing it (kill -STOP)");

            Map<String, Long> takeoverPid = new LinkedHashMap<>();
            try {
                long t0 = System.nanoTime();
                signal(frozen, "STOP");
                try {
                    // the two others remove it after the failure detection; the next call takes each object over
                    for (String name : stale) {
                        Tally t = proxies.get(name);
                        long pid = retry(() -> {
                            long p = t.pid();
                            if (p == frozen) {
                                throw new ClusterException("still in the frozen member");
                            }
                            return p;
                        }, 90, "object '" + name + "' taken over by the majority");
                        assertEquals(0, t.get(), "taken over afresh from its factory");
                        assertEquals(11, t.add(11));
                        assertEquals(pid, t.pid(), "object '" + name + "' moved again during the takeover");
                        takeoverPid.put(name, pid);
                    }
                    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    System.out.println("taken over " + took + " ms after the freeze, by " + takeoverPid);
                    long left = FROZEN_MILLIS - took;
                    if (left > 0) {
                        Thread.sleep(left);
                    }
                } finally {
                    signal(frozen, "CONT");
                }
                long thawed = System.nanoTime();

                // the thawed member is alone (its own cluster); Hazelcast merges it back into the other two
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!((children.logOf(frozenMember).contains(" is MERGED") || !unplannedMerges(frozen).isEmpty())
                        && ClusterInfo.of(cluster.address()).members().size() == 3)) {
                    assertTrue(frozenMember.isAlive(), "the frozen member died; log:\n" + children.logOf(frozenMember));
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the thawed member did not merge back within 120 s; its log:\n"
                                + children.logOf(frozenMember));
                    }
                    Thread.sleep(500);
                }
                if (!children.logOf(frozenMember).contains(" is MERGED")) {
                    // the two others fell apart as well (a member missed heartbeats on a busy machine), and merged into the
                    // thawed one: its side's registry and copies won, as Hazelcast's merge keeps the larger side's data
                    Assumptions.abort("not the planned split brain: members " + unplannedMerges(frozen)
                            + " split apart too and merged into the thawed member " + frozen);
                }
                long mergedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - thawed);
                System.out.println("merged back " + mergedMs + " ms after the thaw");

                // one live copy of each object: the takeover's, whichever proxy calls it, over several rounds
                Map<String, Long> expected = new LinkedHashMap<>();
                stale.forEach(name -> expected.put(name, 11L));
                for (int round = 0; round < 10; round++) {
                    for (String name : stale) {
                        Tally fresh = m.proxy(name, Tally.class);
                        for (Tally t : List.of(before.get(name), proxies.get(name), fresh)) {
                            long v = retry(t::get, 60, "object '" + name + "' after the merge");
                            long pid = retry(t::pid, 60, "object '" + name + "' after the merge");
                            String seen = "object '" + name + "' answered " + v + " from member " + pid + " (round " + round
                                    + "; expected " + expected.get(name) + " from " + takeoverPid.get(name) + ", the old host was "
                                    + frozen + ")";
                            assertNotEquals(5, v, seen + ": the old host's stale pre-split copy");
                            assertEquals(expected.get(name), v, seen + ": not the takeover's state");
                            assertEquals(takeoverPid.get(name), pid, seen + ": another node");
                        }
                        assertEquals(expected.get(name) + 1, before.get(name).add(1), "object '" + name + "'");
                        expected.put(name, expected.get(name) + 1);
                    }
                    Thread.sleep(300);
                }
                // the objects never hosted in the frozen member kept their state through it all
                for (String name : hostPid.keySet()) {
                    if (!stale.contains(name)) {
                        assertEquals(5, retry(proxies.get(name)::get, 60, "object '" + name + "'"), "object '" + name + "'");
                        assertEquals(hostPid.get(name), proxies.get(name).pid());
                    }
                }
                System.out.println("after the merge, all proxies of " + stale + " saw only the takeover's copy");
            } catch (AssertionError | ClusterException | ClusterUnreachableException | IllegalArgumentException e) {
                List<String> unplanned = unplannedSplits(frozen);
                if (unplanned.isEmpty()) {
                    throw e;
                }
                // on a busy machine one of the two others may miss heartbeats for the member timeout as well: the
                // cluster falls apart further and merges in another order (the side that merges restarts its
                // objects, or the thawed member's side wins with its pre-split copies), not the case shown here
                Assumptions.abort("not the planned split brain (" + e.getMessage() + "): the other members split too: "
                        + unplanned);
            }

            // then the two other members are killed one after the other (the one that took the most over first), so
            // the objects move again, in the end all to the old host: each time they start afresh from their factory
            // in whichever node a call reaches first, never from the old host's stale pre-split copy
            Map<String, Long> host = new LinkedHashMap<>(takeoverPid);
            List<Long> others = new ArrayList<>(members.stream().map(java.lang.Process::pid).filter(p -> p != frozen).toList());
            others.sort((a, b) -> Long.compare(count(takeoverPid, b), count(takeoverPid, a)));
            for (long victim : others) {
                java.lang.Process victimMember = members.stream().filter(p -> p.pid() == victim).findFirst().orElseThrow();
                victimMember.destroyForcibly();
                assertTrue(victimMember.waitFor(10, TimeUnit.SECONDS));
                List<String> byOldHost = new ArrayList<>();
                for (String name : stale) {
                    if (host.get(name) != victim) {
                        continue;
                    }
                    Tally t = before.get(name);
                    long v = retry(t::get, 90, "object '" + name + "' after its host " + victim + " was killed");
                    long pid = t.pid();
                    assertNotEquals(victim, pid);
                    assertEquals(0, v, "object '" + name + "' in member " + pid + (pid == frozen ? " (its old host)" : "")
                            + ": " + (v == 5 ? "the old host's stale pre-split copy" : "not made afresh") + " answered");
                    assertEquals(3, t.add(3));
                    host.put(name, pid);
                    if (pid == frozen) {
                        byOldHost.add(name);
                    }
                }
                System.out.println("member " + victim + " killed; its objects taken over afresh, those by the old host: "
                        + byOldHost);
                if (victim != others.get(others.size() - 1)) {
                    Thread.sleep(5_000); // the two left make the lost backups again before the next kill
                }
            }
            assertTrue(host.values().stream().allMatch(p -> p == frozen), "all in the old host at last: " + host);
        }
    }

    /**
     * What the members other than {@code frozen} logged of a split among themselves: a member suspected for
     * missing heartbeats that is not the frozen one, or a merge of their own.
     */
    private static List<String> unplannedSplits(long frozen) throws Exception {
        String frozenAddress = "";
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).pid() == frozen) {
                ClusterAddress.Member a = cluster.address().members().get(i);
                frozenAddress = "Member [" + a.host() + "]:" + a.port() + " ";
            }
        }
        List<String> found = new ArrayList<>();
        for (java.lang.Process p : members) {
            if (p.pid() == frozen) {
                continue;
            }
            for (String line : children.logOf(p).split("\n")) {
                if (line.contains(" is MERGING") || (line.contains("Suspecting Member [") && !line.contains("Suspecting "
                        + frozenAddress))) {
                    found.add(p.pid() + ": " + line.substring(Math.max(0, line.indexOf("[5."))));
                }
            }
        }
        return found;
    }

    /** The members other than {@code frozen} that were split off and merged back too (their log says so). */
    private static List<Long> unplannedMerges(long frozen) throws Exception {
        List<Long> merged = new ArrayList<>();
        for (java.lang.Process p : members) {
            if (p.pid() != frozen && children.logOf(p).contains(" is MERGED")) {
                merged.add(p.pid());
            }
        }
        return merged;
    }

    private static long count(Map<String, Long> hostPid, long pid) {
        return hostPid.values().stream().filter(p -> p == pid).count();
    }

    /** {@code call}, again after a cluster error (a node leaving, partitions moving), for at most {@code seconds}. */
    private static long retry(Callable<Long> call, long seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try {
                return call.call();
            } catch (ClusterException | ClusterUnreachableException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(what + ": still failing after " + seconds + " s", e);
                }
                Thread.sleep(200);
            }
        }
    }

    private static void awaitMembers(int n, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (ClusterInfo.of(cluster.address()).members().size() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the cluster did not have " + n + " members within " + seconds + " s");
            }
            Thread.sleep(200);
        }
    }

    /** Sends {@code SIG<signal>} to {@code pid} with kill(1). */
    private static void signal(long pid, String signal) throws Exception {
        java.lang.Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + signal + " " + pid + " did not return");
    }
}
