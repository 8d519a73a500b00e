package io.ipckit.cluster;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import com.hazelcast.map.IMap;
import io.ipckit.cluster.internal.ClusterKeys;
import io.ipckit.cluster.internal.ClusterMap;
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

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ClusterMap} keeps the {@code ConcurrentMap} contract (guava-testlib's generated suite) on one
 * member in this JVM, and stores nothing readable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterMapTest extends LeakCheckingTest {
    private static final AtomicInteger MAPS = new AtomicInteger();
    private static ClusterNode node;
    private static Sealer sealer;

    @BeforeAll
    static void startMember() throws Exception {
        ClusterAddress address = ClusterAddress.create("maps",
                List.of(new ClusterAddress.Member("127.0.0.1", Cluster.freePorts(1)[0])));
        node = ClusterNode.builder(address).partitionCount(Cluster.PARTITIONS).backupCount(0).start();
        sealer = new Sealer(ClusterKeys.of(address));
    }

    @AfterAll
    static void stopMember() {
        node.close();
    }

    private static <K, V> ClusterMap<K, V> map(String name) {
        return ClusterMap.create(node.hazelcast(), sealer, Codec.defaults(), name);
    }

    @TestFactory
    Stream<DynamicNode> concurrentMapContract() {
        return GuavaSuites.of(ConcurrentMapTestSuiteBuilder.using(new TestStringMapGenerator() {
            @Override
            protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                ClusterMap<String, String> map = map("contract-" + MAPS.incrementAndGet());
                for (Map.Entry<String, String> e : entries) {
                    map.put(e.getKey(), e.getValue());
                }
                return map;
            }
        }).named("ClusterMap")
                .withFeatures(MapFeature.GENERAL_PURPOSE, CollectionSize.ANY,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE)
                .createTestSuite());
    }

    @Test
    void storedBytesRevealNeitherKeyNorValue() {
        ClusterMap<String, String> map = map("secret");
        map.put("the-key-text", "the-value-text");
        IMap<String, byte[]> raw = node.hazelcast().getMap("ipckit.m.secret");
        assertEquals(1, raw.size());
        Map.Entry<String, byte[]> e = raw.entrySet().iterator().next();
        assertFalse(e.getKey().contains("the-key"));
        String stored = new String(e.getValue(), StandardCharsets.ISO_8859_1);
        assertFalse(stored.contains("the-key") || stored.contains("the-value"), stored);
        assertEquals("the-value-text", map.get("the-key-text"));
    }

    @Test
    void payloadCopiedFromAnotherMapIsRefused_andTheMapGoesOn() {
        ClusterMap<String, String> a = map("copy-a");
        ClusterMap<String, String> b = map("copy-b");
        a.put("k", "from a");
        b.put("k", "from b");
        IMap<String, byte[]> rawA = node.hazelcast().getMap("ipckit.m.copy-a");
        IMap<String, byte[]> rawB = node.hazelcast().getMap("ipckit.m.copy-b");
        String fpB = rawB.keySet().iterator().next();
        rawB.put(fpB, rawA.values().iterator().next());
        ForgedPayloadException e = assertThrows(ForgedPayloadException.class, () -> b.get("k"));
        assertTrue(e.getMessage().contains("map:copy-b"), e.getMessage());
        ForgedPayloadException p = assertThrows(ForgedPayloadException.class, () -> b.put("k", "again"));
        assertTrue(p.getMessage().contains("the new value is stored in its place"), p.getMessage());
        assertEquals("again", b.get("k"));
        assertEquals("from a", a.get("k"));
    }

    @Test
    void payloadSealedWithAnotherTokenIsRefused() {
        ClusterMap<String, String> mine = map("tokens");
        Sealer other = new Sealer(ClusterKeys.of(node.address().withNewToken()));
        ClusterMap<String, String> theirs = ClusterMap.create(node.hazelcast(), other, Codec.defaults(), "tokens");
        theirs.put("k", "sealed with another token");
        assertEquals(1, mine.size());
        assertFalse(mine.containsKey("k"), "another token's fingerprints differ");
        ForgedPayloadException e = assertThrows(ForgedPayloadException.class, () -> mine.entrySet().iterator().next());
        assertTrue(e.getMessage().contains("another access token"), e.getMessage());
        mine.put("k", "mine");
        assertEquals("mine", mine.get("k"));
    }

    @Test
    void nullsAreRefusedNamingTheMap() {
        ClusterMap<String, String> map = map("no-nulls");
        Map<String, String> withNull = new LinkedHashMap<>();
        withNull.put("ok", "1");
        withNull.put("bad", null);
        for (Runnable call : List.<Runnable>of(() -> map.put(null, "v"), () -> map.put("k", null),
                () -> map.get(null), () -> map.putAll(withNull), () -> map.replace("k", null, "v"))) {
            NullPointerException e = assertThrows(NullPointerException.class, call::run);
            assertTrue(e.getMessage().contains("no-nulls"), e.getMessage());
        }
        assertFalse(map.remove("k", null));
        assertTrue(map.isEmpty(), "nothing of a refused putAll was put");
        assertNull(map.compute("k", (k, v) -> null));
        assertEquals("v", map.compute("k", (k, v) -> "v"));
        assertEquals("vw", map.merge("k", "w", String::concat));
        assertEquals(4, map.computeIfAbsent("n", k -> "four").length());
    }
}
