package io.ipckit.cluster;

import com.google.common.collect.testing.ListTestSuiteBuilder;
import com.google.common.collect.testing.TestStringListGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.ListFeature;
import io.ipckit.cluster.internal.ClusterKeys;
import io.ipckit.cluster.internal.ClusterList;
import io.ipckit.cluster.internal.Sealer;
import io.ipckit.cluster.test.Cluster;
import io.ipckit.core.Codec;
import io.ipckit.core.test.GuavaSuites;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ClusterList} keeps the {@code List} contract (guava-testlib's generated suite) on one member in this JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterListTest extends LeakCheckingTest {
    private static final AtomicInteger LISTS = new AtomicInteger();
    private static ClusterNode node;
    private static Sealer sealer;

    @BeforeAll
    static void startMember() throws Exception {
        ClusterAddress address = ClusterAddress.create("lists",
                List.of(new ClusterAddress.Member("127.0.0.1", Cluster.freePorts(1)[0])));
        node = ClusterNode.builder(address).partitionCount(Cluster.PARTITIONS).backupCount(0).start();
        sealer = new Sealer(ClusterKeys.of(address));
    }

    @AfterAll
    static void stopMember() {
        node.close();
    }

    private static <E> ClusterList<E> list(String name) {
        return ClusterList.create(node.hazelcast(), sealer, Codec.defaults(), name);
    }

    @TestFactory
    Stream<DynamicNode> listContract() {
        return GuavaSuites.of(ListTestSuiteBuilder.using(new TestStringListGenerator() {
            @Override
            protected List<String> create(String[] elements) {
                ClusterList<String> l = list("contract-" + LISTS.incrementAndGet());
                l.addAll(Arrays.asList(elements));
                return l;
            }
        }).named("ClusterList")
                .withFeatures(ListFeature.GENERAL_PURPOSE, CollectionSize.ANY, CollectionFeature.ALLOWS_NULL_VALUES)
                .createTestSuite());
    }

    @Test
    void bulkChangesOfTwoThreads_areEachAtomic() throws Exception {
        ClusterList<Integer> l = list("bulk");
        for (int i = 0; i < 20; i++) {
            l.add(i);
        }
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 10; i++) {
                l.replaceAll(x -> x + 1);
            }
        });
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 10; i++) {
                l.replaceAll(x -> x + 100);
            }
        });
        a.get(50, TimeUnit.SECONDS);
        b.get(50, TimeUnit.SECONDS);
        for (int i = 0; i < 20; i++) {
            assertEquals(i + 1010, l.get(i), "no update lost at " + i);
        }
    }
}
