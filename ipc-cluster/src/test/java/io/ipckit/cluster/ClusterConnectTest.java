package io.ipckit.cluster;

import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.ClusterQueue;
import io.ipckit.cluster.test.Cluster;
import io.ipckit.core.Codec;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connecting: bounded when nobody answers, refused without the token, resumed when the cluster is back. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterConnectTest extends LeakCheckingTest {
    @TempDir
    Path logs;

    @Test
    void unreachableClusterGivesAClearErrorWithinTheBound() throws Exception {
        ClusterAddress address = ClusterAddress.create("nobody",
                List.of(new ClusterAddress.Member("127.0.0.1", Cluster.freePorts(1)[0])));
        assertEquals(ClusterClient.CONNECT_TIMEOUT, ClusterClient.connectTimeout(), "the default bound");
        System.setProperty(ClusterClient.CONNECT_TIMEOUT_PROPERTY, "2000");
        try {
            long t0 = System.nanoTime();
            ClusterException e = assertThrows(ClusterException.class, () -> ClusterClient.of(address));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("unreachable cluster reported after " + ms + " ms");
            assertTrue(ms >= 2000 && ms < 2000 + 5000, "took " + ms + " ms");
            assertTrue(e.getMessage().contains(address.redacted()), e.getMessage());
            assertFalse(e.getMessage().contains(address.token()), e.getMessage());
            assertTrue(e.getMessage().contains("ipckit node --cluster"), e.getMessage());
        } finally {
            System.clearProperty(ClusterClient.CONNECT_TIMEOUT_PROPERTY);
        }
    }

    @Test
    void aConnectBoundThatIsNotANumberOrTooShortIsRefusedNamingTheProperty() throws Exception {
        ClusterAddress address = ClusterAddress.create("nobody",
                List.of(new ClusterAddress.Member("127.0.0.1", Cluster.freePorts(1)[0])));
        for (String bad : List.of("2s", "50")) {
            System.setProperty(ClusterClient.CONNECT_TIMEOUT_PROPERTY, bad);
            try {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterClient.of(address));
                assertTrue(e.getMessage().contains(ClusterClient.CONNECT_TIMEOUT_PROPERTY + "=" + bad), e.getMessage());
                assertTrue(e.getMessage().contains("at least 100"), e.getMessage());
            } finally {
                System.clearProperty(ClusterClient.CONNECT_TIMEOUT_PROPERTY);
            }
        }
    }

    @Test
    void withoutTheTokenNeitherClientNorMemberGetsIn() throws Exception {
        try (Children children = new Children(logs)) {
            Cluster cluster = new Cluster(children, 1);
            cluster.start(0);
            ClusterAddress wrong = cluster.address().withNewToken();
            assertThrows(ClusterException.class, () -> ClusterClient.connect(wrong, Duration.ofSeconds(3)));
            int port = Cluster.freePorts(1)[0];
            ClusterAddress wrongWithMe = wrong.withMembers(List.of(cluster.address().members().get(0),
                    new ClusterAddress.Member("127.0.0.1", port)));
            try (ClusterNode intruder = ClusterNode.builder(wrongWithMe).bind("127.0.0.1", port)
                    .partitionCount(Cluster.PARTITIONS).start();
                 ClusterClient client = ClusterClient.connect(cluster.address(), ClusterClient.CONNECT_TIMEOUT)) {
                assertEquals(1, intruder.memberCount(), "a member without the token joined");
                assertEquals(1, client.hazelcast().getCluster().getMembers().size());
            }
        }
    }

    @Test
    void clientResumesWhenTheClusterComesBack() throws Exception {
        try (Children children = new Children(logs)) {
            Cluster cluster = new Cluster(children, 1);
            Process member = cluster.start(0);
            try (ClusterClient client = ClusterClient.connect(cluster.address(), ClusterClient.CONNECT_TIMEOUT,
                    Duration.ofSeconds(3))) {
                ClusterQueue<String> q = ClusterQueue.create(client.hazelcast(), client.sealer(), Codec.defaults(), "q",
                        0, false);
                q.put("before");
                member.destroyForcibly();
                member.waitFor(10, TimeUnit.SECONDS);
                long down = System.nanoTime();
                ClusterUnreachableException gone = assertThrows(ClusterUnreachableException.class, () -> q.offer("x"));
                long ms = (System.nanoTime() - down) / 1_000_000;
                assertTrue(gone.getMessage().contains("cluster queue 'q'"), gone.getMessage());
                assertTrue(gone instanceof io.ipckit.core.ManagerGoneException);
                assertTrue(ms < 10_000, "the call failed after " + ms + " ms; invocation timeout 3 s");
                long t0 = System.nanoTime();
                cluster.start(0);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (true) {
                    try {
                        q.put("after");
                        break;
                    } catch (RuntimeException e) {
                        if (System.nanoTime() > deadline) {
                            throw e;
                        }
                        Thread.sleep(100);
                    }
                }
                System.out.println("client resumed (put done) " + (System.nanoTime() - t0) / 1_000_000
                        + " ms after the member restart began");
                assertEquals("after", q.poll(5, TimeUnit.SECONDS), "a one-member cluster restarts empty");
            }
        }
    }
}
