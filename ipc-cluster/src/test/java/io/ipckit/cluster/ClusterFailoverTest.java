package io.ipckit.cluster;

import com.hazelcast.cluster.Member;
import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.ClusterMap;
import io.ipckit.cluster.internal.ClusterQueue;
import io.ipckit.cluster.test.Cluster;
import io.ipckit.core.Codec;
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

/** Data kept through the kill -9 of one of two members (backup count 1). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterFailoverTest extends LeakCheckingTest {
    @TempDir
    Path logs;

    @Test
    void queueAndMapSurviveTheKillOfTheMemberThatOwnsThem() throws Exception {
        try (Children children = new Children(logs)) {
            Cluster cluster = new Cluster(children, 2);
            Process[] members = {cluster.start(0), cluster.start(1)};
            try (ClusterClient client = ClusterClient.connect(cluster.address(), ClusterClient.CONNECT_TIMEOUT)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (client.hazelcast().getCluster().getMembers().size() < 2) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the two members did not form one cluster in 30 s");
                    }
                    Thread.sleep(50);
                }
                Cluster.awaitSafe(client.hazelcast(), 30); // the backups on the second member, before the puts
                ClusterQueue<Integer> q = ClusterQueue.create(client.hazelcast(), client.sealer(), Codec.defaults(),
                        "failover", 0, false);
                ClusterMap<String, Integer> m = ClusterMap.create(client.hazelcast(), client.sealer(),
                        Codec.defaults(), "failover");
                for (int i = 0; i < 50; i++) {
                    q.put(i);
                    m.put("k" + i, i);
                }
                Member owner = client.hazelcast().getPartitionService().getPartition("ipckit.q.failover").getOwner();
                int victim = owner.getAddress().getPort() == cluster.address().members().get(0).port() ? 0 : 1;
                members[victim].destroyForcibly();
                long t0 = System.nanoTime();
                members[victim].waitFor(10, TimeUnit.SECONDS);
                List<Integer> got = new ArrayList<>();
                while (got.size() < 50) {
                    Integer e = q.poll(30, TimeUnit.SECONDS);
                    if (e == null) {
                        break;
                    }
                    got.add(e);
                    if (got.size() == 1) {
                        System.out.println("first take " + (System.nanoTime() - t0) / 1_000_000
                                + " ms after kill -9 of the queue's owner");
                    }
                }
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    expected.add(i);
                }
                assertEquals(expected, got, "items lost or reordered with the queue's owner");
                for (int i = 0; i < 50; i++) {
                    assertEquals(i, m.get("k" + i), "map entry k" + i);
                }
                assertEquals(50, m.size());
            }
        }
    }
}
