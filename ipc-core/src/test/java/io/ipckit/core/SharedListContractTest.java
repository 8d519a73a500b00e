package io.ipckit.core;

import com.google.common.collect.testing.ListTestSuiteBuilder;
import com.google.common.collect.testing.TestStringListGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.ListFeature;
import io.ipckit.core.test.GuavaSuites;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SharedList} keeps the {@code List} contract, checked by guava-testlib's generated suite (the
 * list, its iterators, list iterators and sub-lists), against one embedded manager.
 */
class SharedListContractTest extends LeakCheckingTest {
    private static Manager manager;
    private static final AtomicInteger LISTS = new AtomicInteger();

    @BeforeAll
    static void startManager() {
        manager = Manager.embedded();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @TestFactory
    Stream<DynamicNode> listContract() {
        return GuavaSuites.of(ListTestSuiteBuilder.using(new TestStringListGenerator() {
            @Override
            protected List<String> create(String[] elements) {
                SharedList<String> list = manager.list("contract-" + LISTS.incrementAndGet());
                if (elements.length > 0) {
                    list.addAll(Arrays.asList(elements));
                }
                return list;
            }
        }).named("SharedList")
                .withFeatures(ListFeature.GENERAL_PURPOSE, CollectionSize.ANY, CollectionFeature.ALLOWS_NULL_VALUES)
                .createTestSuite());
    }

    @Test
    void bulkChanges_runTheCallersFunctions_andWriteTheResult() {
        SharedList<String> list = manager.list("bulk");
        list.addAll(List.of("d", "a", "c", "b", "a"));
        Thread notSerializable = Thread.currentThread();
        assertTrue(list.removeIf(e -> e.equals("c") && notSerializable.isAlive()));
        assertFalse(list.removeIf(e -> e.equals("zz")));
        list.sort(Comparator.naturalOrder());
        assertEquals(List.of("a", "a", "b", "d"), manager.<String>list("bulk"));
        list.replaceAll(String::toUpperCase);
        assertTrue(list.removeAll(Set.of("A")));
        assertTrue(list.retainAll(List.of("D", "X")));
        assertEquals("[D]", manager.<String>list("bulk").toString());
        list.sort(null);
        assertEquals(List.of("D"), list);
    }

    @Test
    void iterator_walksItsSnapshot_andRefusesToWriteOverAnotherChange() {
        SharedList<String> list = manager.list("iterated");
        list.addAll(List.of("a", "b", "c"));
        Iterator<String> it = list.iterator();
        assertEquals("a", it.next());
        it.remove();
        manager.<String>list("iterated").add("d");
        List<String> rest = new ArrayList<>();
        it.forEachRemaining(rest::add);
        assertEquals(List.of("b", "c"), rest, "the iterator walks the snapshot taken when it was created");
        ConcurrentModificationException e = assertThrows(ConcurrentModificationException.class, it::remove);
        assertTrue(e.getMessage().contains("iterated"), e.getMessage());
        assertEquals(List.of("b", "c", "d"), list, "the refused write changed nothing");
        ListIterator<String> fresh = list.listIterator(3);
        fresh.add("e");
        assertEquals("b", list.listIterator().next());
        assertEquals(List.of("b", "c", "d", "e"), list);
    }

    @Test
    void subList_isAViewOfTheList() {
        SharedList<String> list = manager.list("sub");
        list.addAll(List.of("a", "b", "c", "d"));
        List<String> middle = list.subList(1, 3);
        assertEquals(List.of("b", "c"), middle);
        middle.clear();
        assertEquals(List.of("a", "d"), list);
        list.subList(1, 1).addAll(List.of("x", "y"));
        assertEquals("[a, x, y, d]", list.toString());
    }
}
