package io.ipckit.core;

import com.google.common.collect.testing.QueueTestSuiteBuilder;
import com.google.common.collect.testing.TestStringQueueGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import io.ipckit.core.test.GuavaSuites;
import io.ipckit.core.test.LeakCheckingTest;
import junit.framework.TestSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SharedQueue} keeps the {@link Queue} and {@link java.util.Collection} contracts, as checked by
 * guava-testlib's generated suites (written by others, for the JDK's collections): unbounded, bounded
 * and joinable queues of one embedded manager.
 */
class SharedQueueContractTest extends LeakCheckingTest {
    /** Room for every element a generated test puts (at most a handful). */
    private static final int MAXSIZE = 16;

    private static final int ROTATION = 4;

    private static Manager m;

    @BeforeAll
    static void startManager() {
        m = Manager.embedded();
    }

    @AfterAll
    static void closeManager() {
        m.close();
    }

    /**
     * The generator hands out a few queues in turn, each emptied with {@code clear()} first (opening a
     * queue per collection made the iterator tests, which build hundreds, take a minute): a test may hold
     * a few collections at once, never {@value #ROTATION}.
     */
    private static TestSuite suite(String name, Function<String, SharedQueue<String>> open) {
        List<SharedQueue<String>> queues = new ArrayList<>();
        for (int i = 0; i < ROTATION; i++) {
            queues.add(open.apply(name + "-" + i));
        }
        AtomicInteger next = new AtomicInteger();
        return QueueTestSuiteBuilder.using(new TestStringQueueGenerator() {
            @Override
            protected Queue<String> create(String[] elements) {
                SharedQueue<String> q = queues.get(next.getAndIncrement() % ROTATION);
                q.clear();
                assertTrue(q.isEmpty(), "clear() emptied " + q);
                q.addAll(Arrays.asList(elements));
                return q;
            }
        }).named(name).withFeatures(CollectionSize.ANY, CollectionFeature.GENERAL_PURPOSE,
                CollectionFeature.KNOWN_ORDER, CollectionFeature.RESTRICTS_ELEMENTS,
                CollectionFeature.ALLOWS_NULL_QUERIES).createTestSuite();
    }

    @TestFactory
    Stream<DynamicNode> unboundedQueue() {
        return GuavaSuites.of(suite("SharedQueue", name -> m.queue(name)));
    }

    @TestFactory
    Stream<DynamicNode> boundedQueue() {
        return GuavaSuites.of(suite("BoundedSharedQueue", name -> m.queue(name, MAXSIZE)));
    }

    @TestFactory
    Stream<DynamicNode> joinableBoundedQueue() {
        return GuavaSuites.of(suite("JoinableSharedQueue", name -> m.joinableQueue(name, MAXSIZE)));
    }
}
