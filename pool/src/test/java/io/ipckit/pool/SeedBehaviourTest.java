package io.ipckit.pool;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The observable behaviour of the seed tutorials' programs. Concurrency is asserted from the start and
 * end stamps the tasks record, never from how long the test took.
 */
class SeedBehaviourTest extends LeakCheckingTest {
    private static final int START = 2;
    private static final int END = 3;

    /** Seed 000/004: apply_async of 10 tasks on Pool(3), close, join: three worker pids run them. */
    @Test
    void applyAsync_tenTasksOnPoolOfThree_areRunByThreePids() throws Exception {
        Pool po = TestPools.create(3);
        List<Long> workers = po.workerPids();
        List<AsyncResult<long[]>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long sleep = 50 + (i * 37) % 200;
            results.add(po.applyAsync(Tasks::stamped, i, sleep));
        }
        po.close();
        po.join();
        Set<Long> pids = new TreeSet<>();
        for (AsyncResult<long[]> r : results) {
            assertTrue(r.ready(), "join() returned after every task");
            pids.add(r.get()[1]);
        }
        assertEquals(new TreeSet<>(workers), pids);
        assertEquals(3, pids.size());
    }

    /** Seed 000 (apply): each apply waits for its task, so tasks run one at a time. */
    @Test
    void apply_runsTasksOneAtATime() throws Exception {
        try (Pool po = TestPools.create(3)) {
            List<long[]> stamps = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                stamps.add(po.apply(Tasks::stamped, i, 60L));
            }
            for (int i = 1; i < stamps.size(); i++) {
                assertTrue(stamps.get(i - 1)[END] <= stamps.get(i)[START],
                        "task " + (i - 1) + " ended before task " + i + " started");
            }
        }
    }

    /** Seed 001 (apply_async): tasks run in parallel: their run times overlap. */
    @Test
    void applyAsync_tasksOverlapInTime() throws Exception {
        try (Pool po = TestPools.create(3)) {
            List<AsyncResult<long[]>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                results.add(po.applyAsync(Tasks::stamped, i, 600L));
            }
            List<long[]> stamps = new ArrayList<>();
            for (AsyncResult<long[]> r : results) {
                stamps.add(r.get());
            }
            long lastStart = stamps.stream().mapToLong(s -> s[START]).max().orElseThrow();
            long firstEnd = stamps.stream().mapToLong(s -> s[END]).min().orElseThrow();
            assertTrue(lastStart < firstEnd, "all three tasks were running at the same time: "
                    + stamps.stream().map(s -> s[START] + "-" + s[END]).collect(Collectors.joining(", ")));
        }
    }

    /** Seed 001 (callback): the callback gets each task's return value. */
    @Test
    void applyAsync_callbackGetsEveryReturnValue() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Pool pool = TestPools.create(2);
        for (int i = 0; i < 10; i++) {
            pool.applyAsync((Integer x) -> "filename" + x, i, logged::add, null);
        }
        pool.close();
        pool.join();
        assertEquals(IntStream.range(0, 10).mapToObj(i -> "filename" + i).collect(Collectors.toSet()),
                new TreeSet<>(logged));
        assertEquals(10, logged.size());
    }

    /** Seed 002 (map): results in input order, as the built-in map. */
    @Test
    void map_overRange_returnsDoubledValuesInOrder() throws Exception {
        try (Pool pool = TestPools.create(2)) {
            List<Integer> results = pool.map((Integer num) -> num * 2,
                    IntStream.range(0, 10).boxed().collect(Collectors.toList()));
            assertEquals(List.of(0, 2, 4, 6, 8, 10, 12, 14, 16, 18), results);
        }
    }

    /** Seed 002 (error_callback): the failing task reaches the error callback and get() raises it. */
    @Test
    void applyAsync_errorCallbackAndGet_seeTheTaskException() throws Exception {
        List<Throwable> caught = new CopyOnWriteArrayList<>();
        try (Pool pool = TestPools.create(2)) {
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.applyAsync((Integer num) -> {
                    if (num == 3) {
                        throw new IllegalArgumentException("模拟错误");
                    }
                    return num * 2;
                }, i, null, caught::add));
            }
            List<Object> got = new ArrayList<>();
            for (AsyncResult<Integer> r : results) {
                try {
                    got.add(r.get());
                } catch (ExecutionException e) {
                    got.add(e.getCause().getMessage());
                }
            }
            assertEquals(List.of(0, 2, 4, "模拟错误", 8, 10), got);
            assertEquals(1, caught.size());
            assertInstanceOf(IllegalArgumentException.class, caught.get(0));
        }
    }

    /** Seed 003 (apply in a loop, 20 tasks on Pool(3)): results come back in order, from the three workers. */
    @Test
    void apply_twentyTasksInALoop_returnsEachResult() throws Exception {
        try (Pool p = TestPools.create(3)) {
            List<long[]> res = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                res.add(p.apply((Integer x) -> new long[] {(long) x * x, Tasks.pid()}, i));
            }
            assertEquals(IntStream.range(0, 20).mapToObj(i -> (long) i * i).collect(Collectors.toList()),
                    res.stream().map(r -> r[0]).collect(Collectors.toList()));
            assertTrue(p.workerPids().containsAll(res.stream().map(r -> r[1]).collect(Collectors.toSet())));
            assertThrows(IllegalArgumentException.class, () -> p.apply(Tasks::failIfOdd, 1));
        }
    }
}
