package io.ipckit.core;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import io.ipckit.core.test.GuavaSuites;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SharedMap} keeps the {@code ConcurrentMap} contract, checked by guava-testlib's generated suite
 * (the map, its key/value/entry views and their iterators), against one embedded manager.
 */
class SharedMapContractTest extends LeakCheckingTest {
    private static Manager manager;
    private static final AtomicInteger MAPS = new AtomicInteger();

    @BeforeAll
    static void startManager() {
        manager = Manager.embedded();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @TestFactory
    Stream<DynamicNode> concurrentMapContract() {
        return GuavaSuites.of(ConcurrentMapTestSuiteBuilder.using(new TestStringMapGenerator() {
            @Override
            protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                SharedMap<String, String> map = manager.map("contract-" + MAPS.incrementAndGet());
                for (Map.Entry<String, String> e : entries) {
                    map.put(e.getKey(), e.getValue());
                }
                return map;
            }
        }).named("SharedMap")
                .withFeatures(MapFeature.GENERAL_PURPOSE, CollectionSize.ANY,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE)
                .createTestSuite());
    }

    @Test
    void entrySetValue_writesThroughToTheMap_seenByAnotherHandle() {
        SharedMap<String, Integer> map = manager.map("set-value");
        map.put("a", 1);
        Map.Entry<String, Integer> e = map.entrySet().iterator().next();
        assertEquals(1, e.setValue(2));
        assertEquals(2, e.getValue());
        assertEquals(2, manager.<String, Integer>map("set-value").get("a"));
    }

    @Test
    void views_writeThrough_andIterateOverASnapshot() {
        SharedMap<String, Integer> map = manager.map("views");
        map.putAll(Map.of("a", 1, "b", 2, "c", 3));
        Set<String> keys = map.keySet();
        Iterator<String> it = keys.iterator();
        map.put("d", 4);
        map.remove("c");
        int seen = 0;
        while (it.hasNext()) {
            if (it.next().equals("a")) {
                it.remove();
            }
            seen++;
        }
        assertEquals(3, seen, "the iterator walks the snapshot taken when it was created");
        assertEquals(Set.of("b", "d"), keys, "the key set is backed by the map");
        assertTrue(map.values().remove(4));
        assertTrue(map.entrySet().remove(Map.entry("b", 2)));
        assertTrue(map.isEmpty());
    }

    @Test
    void nulls_areRefusedNamingTheMap_andTheMapGoesOn() {
        SharedMap<String, String> map = manager.map("no-nulls");
        Map<String, String> withNull = new LinkedHashMap<>();
        withNull.put("ok", "1");
        withNull.put("bad", null);
        for (Runnable call : List.<Runnable>of(() -> map.put(null, "v"), () -> map.put("k", null),
                () -> map.get(null), () -> map.putAll(withNull), () -> map.merge("k", null, String::concat),
                () -> map.replace("k", null, "v"))) {
            NullPointerException e = assertThrows(NullPointerException.class, call::run);
            assertTrue(e.getMessage().contains("no-nulls"), e.getMessage());
        }
        assertFalse(map.remove("k", null));
        assertTrue(map.isEmpty(), "nothing of a refused putAll was put");
        assertNull(map.compute("k", (k, v) -> null));
        assertEquals("v", map.compute("k", (k, v) -> "v"));
        assertEquals("vw", map.merge("k", "w", String::concat));
        assertNull(map.computeIfPresent("k", (k, v) -> null));
        assertFalse(map.containsKey("k"));
    }

    @Test
    void toString_equals_hashCode_areAbstractMaps() {
        SharedMap<String, Integer> map = manager.map("printed");
        map.put("a", 1);
        map.put("b", 2);
        assertEquals("{a=1, b=2}", map.toString());
        assertEquals(Map.of("a", 1, "b", 2), map);
        assertEquals(map, Map.of("a", 1, "b", 2));
        assertEquals(Map.of("a", 1, "b", 2).hashCode(), map.hashCode());
    }
}
