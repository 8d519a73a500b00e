package io.ipckit.cluster;

import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.ClusterQueue;
import io.ipckit.cluster.test.Cluster;
import io.ipckit.cluster.test.QueueChildMain;
import io.ipckit.core.Codec;
import io.ipckit.core.EmptyException;
import io.ipckit.core.FullException;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterQueueTest extends LeakCheckingTest {
    @TempDir
    Path logs;

    @Test
    void itemsGoBetweenTwoClientJvmsThroughAMemberJvm() throws Exception {
        try (Children children = new Children(logs)) {
            Cluster cluster = new Cluster(children, 1);
            long t0 = System.nanoTime();
            cluster.start(0);
            System.out.println("member start (spawn to ready) ms: " + (System.nanoTime() - t0) / 1_000_000);
            Process child = children.start(QueueChildMain.class, cluster.address().toString(), "in", "out", "3");
            try (ClusterClient client = ClusterClient.connect(cluster.address(), ClusterClient.CONNECT_TIMEOUT)) {
                ClusterQueue<String> in = queue(client, "in", 0, false);
                ClusterQueue<String> out = queue(client, "out", 0, false);
                for (String s : List.of("a", "b", "c")) {
                    in.put(s);
                }
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    got.add(out.get(60, TimeUnit.SECONDS));
                }
                assertEquals(List.of("echo:a", "echo:b", "echo:c"), got);
                assertEquals(0, children.await(child, 30), children.logOf(child));
            }
        }
    }

    @Test
    void boundedJoinableQueueBehavesAsPythons() throws Exception {
        try (Children children = new Children(logs)) {
            Cluster cluster = new Cluster(children, 1);
            cluster.start(0);
            try (ClusterClient client = ClusterClient.connect(cluster.address(), ClusterClient.CONNECT_TIMEOUT)) {
                ClusterQueue<Integer> q = queue(client, "bounded", 2, true);
                assertEquals(2, q.maxsize());
                q.putNowait(1);
                assertTrue(q.offer(2, 10, TimeUnit.MILLISECONDS));
                assertTrue(q.full());
                assertEquals(0, q.remainingCapacity());
                assertThrows(FullException.class, () -> q.putNowait(3));
                assertThrows(FullException.class, () -> q.put(3, 50, TimeUnit.MILLISECONDS));
                assertEquals(2, q.unfinishedTasks());
                assertFalse(q.join(50, TimeUnit.MILLISECONDS));
                assertEquals(1, q.getNowait());
                assertEquals(2, q.get(1, TimeUnit.SECONDS));
                assertThrows(EmptyException.class, q::getNowait);
                assertNull(q.poll(50, TimeUnit.MILLISECONDS));
                q.taskDone();
                q.taskDone();
                assertThrows(IllegalStateException.class, q::taskDone);
                assertTrue(q.join(1, TimeUnit.SECONDS));
                assertThrows(IllegalStateException.class, () -> queue(client, "bounded", 5, false));
                assertThrows(NullPointerException.class, () -> q.offer(null));
                q.add(7);
                assertTrue(q.contains(7));
                assertTrue(q.remove(Integer.valueOf(7)));
                assertTrue(q.isEmpty());
            }
        }
    }

    @Test
    void aForgedItem_isRefusedWhenTaken_keptAsADeadLetter_andTheQueueGoesOn() throws Exception {
        try (Children children = new Children(logs)) {
            Cluster cluster = new Cluster(children, 1);
            cluster.start(0);
            try (ClusterClient client = ClusterClient.connect(cluster.address(), ClusterClient.CONNECT_TIMEOUT)) {
                ClusterQueue<String> q = queue(client, "guarded", 0, false);
                com.hazelcast.collection.IQueue<byte[]> raw = client.hazelcast().getQueue("ipckit.q.guarded");
                com.hazelcast.collection.IQueue<byte[]> dead = client.hazelcast().getQueue(ClusterQueue.deadLetters("guarded"));
                byte[] forged = new byte[40]; // not sealed with this cluster's token
                java.util.Arrays.fill(forged, (byte) 7);
                q.put("before");
                raw.put(forged);
                q.put("after");
                assertEquals("before", q.take());
                ForgedPayloadException e = assertThrows(ForgedPayloadException.class, q::take);
                assertTrue(e.getMessage().contains("kept, as it was, on cluster queue 'ipckit.dead.q.guarded'"), e.getMessage());
                assertEquals("after", q.take(), "the queue goes on");
                org.junit.jupiter.api.Assertions.assertArrayEquals(forged, dead.poll());

                q.put("x");
                raw.put(forged);
                q.put("y");
                List<String> drained = new ArrayList<>();
                ForgedPayloadException d = assertThrows(ForgedPayloadException.class, () -> q.drainTo(drained));
                assertEquals(List.of("x", "y"), drained, "the good items are drained");
                assertTrue(d.getSuppressed()[0].getMessage().contains("2 of the 3 items"), d.getSuppressed()[0].getMessage());
                assertEquals(1, dead.size());
                assertTrue(q.isEmpty());
            }
        }
    }

    static <E> ClusterQueue<E> queue(ClusterClient client, String name, int maxsize, boolean joinable) {
        return ClusterQueue.create(client.hazelcast(), client.sealer(), Codec.defaults(), name, maxsize, joinable);
    }
}
