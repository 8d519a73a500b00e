package io.ipckit.pool;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Progress} on map, starmap and imap of a real pool: counts, the end, the bar's thread. */
@Timeout(90)
class ProgressTest extends LeakCheckingTest {
    private Pool pool;

    @BeforeEach
    void startPool() {
        pool = TestPools.create(2);
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    /** Every call a listener got: {done, total, finished (1 or 0)}. */
    private static final class Calls implements Progress.Listener {
        final List<long[]> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onProgress(long done, long total, boolean finished) {
            seen.add(new long[] {done, total, finished ? 1 : 0});
        }

        long[] last() {
            return seen.get(seen.size() - 1);
        }

        /** done never goes down, exactly the last call is finished, and every call carries {@code total}. */
        void assertMonotonicThenFinished(long total) {
            assertFalse(seen.isEmpty(), "no progress reported");
            long prev = -1;
            for (int i = 0; i < seen.size(); i++) {
                long[] c = seen.get(i);
                assertTrue(c[0] >= prev, "done went down at call " + i + ": " + text());
                prev = c[0];
                assertEquals(i == seen.size() - 1 ? 1 : 0, c[2], "finished only on the last call: " + text());
                if (total >= 0) {
                    assertEquals(total, c[1], "total: " + text());
                }
            }
        }

        String text() {
            return seen.stream().map(c -> c[0] + "/" + c[1] + (c[2] == 1 ? " end" : "")).collect(Collectors.joining(", "));
        }
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    /** progressbar's drawing thread ("ProgressBar") ends once no bar is open. */
    private static void assertNoBarThread() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (barThreads() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, barThreads(), "progressbar threads left running");
    }

    private static long barThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("ProgressBar")).count();
    }

    @Test
    void map_withListener_countsItemsMonotonicallyToTheTotalAndResultsUnchanged() throws Exception {
        Calls calls = new Calls();
        List<Integer> withProgress = pool.map((Integer x) -> x * 3, range(500), 7, Progress.to(calls));
        assertEquals(pool.map((Integer x) -> x * 3, range(500), 7), withProgress);
        calls.assertMonotonicThenFinished(500);
        assertEquals(500, calls.last()[0], calls.text());
        assertTrue(calls.seen.size() > 2, "items counted chunk by chunk, not only at the end: " + calls.text());
    }

    @Test
    void starmap_withBar_resultsUnchangedAndBarThreadGone() throws Exception {
        Calls calls = new Calls();
        List<Map.Entry<Integer, Integer>> pairs = range(300).stream().map(i -> Map.entry(i, i + 1))
                .collect(Collectors.toList());
        List<Integer> sums = pool.starmap((Integer a, Integer b) -> a + b, pairs, Progress.bar("sums").and(calls));
        assertEquals(range(300).stream().map(i -> 2 * i + 1).collect(Collectors.toList()), sums);
        calls.assertMonotonicThenFinished(300);
        assertEquals(300, calls.last()[0]);
        assertNoBarThread();
    }

    @Test
    void map_taskFails_progressFinishedAndBarClosed() throws Exception {
        Calls calls = new Calls();
        List<Integer> items = range(40);
        assertThrows(IllegalArgumentException.class,
                () -> pool.map(Tasks::failIfOdd, items, 1, Progress.bar().and(calls)));
        calls.assertMonotonicThenFinished(40);
        assertTrue(calls.last()[0] < 40, "a failed map ends before all items: " + calls.text());
        assertNoBarThread();
        assertEquals(List.of(0, 20), pool.map(Tasks::failIfOdd, List.of(0, 2), Progress.bar()), "the pool goes on");
        assertNoBarThread();
    }

    @Test
    void imap_inputOfUnknownSize_totalKnownOnlyAtTheEndAndFailedItemsCounted() throws Exception {
        Calls calls = new Calls();
        Iterable<Integer> lazy = () -> IntStream.range(0, 100).iterator(); // not a Collection: no size
        List<Integer> ok = new ArrayList<>();
        int failures = 0;
        try (ResultIterator<Integer> it = pool.imap(Tasks::failIfOdd, lazy, 1, Progress.bar().and(calls))) {
            while (it.hasNext()) {
                try {
                    ok.add(it.next());
                } catch (IllegalArgumentException e) {
                    failures++;
                }
            }
        }
        assertEquals(range(100).stream().filter(x -> x % 2 == 0).map(x -> x * 10).collect(Collectors.toList()), ok);
        assertEquals(50, failures);
        calls.assertMonotonicThenFinished(-1);
        assertEquals(-1, calls.seen.get(0)[1], "total unknown at the start: " + calls.text());
        assertEquals(100, calls.last()[0], "every item counted, failed ones too: " + calls.text());
        assertEquals(100, calls.last()[1], "total known at the end: " + calls.text());
        assertNoBarThread();
    }

    @Test
    void imapUnordered_collection_finishedBeforeTheLastResultIsSeen() throws Exception {
        Calls calls = new Calls();
        ResultIterator<Integer> it = pool.imapUnordered((Integer x) -> x + 1, range(64), 4, Progress.to(calls));
        List<Integer> got = new ArrayList<>();
        it.forEachRemaining(got::add);
        got.sort(null);
        assertEquals(range(64).stream().map(x -> x + 1).collect(Collectors.toList()), got);
        calls.assertMonotonicThenFinished(64);
        assertEquals(64, calls.last()[0]);
    }

    @Test
    void imap_closedEarlyOnEndlessInput_progressFinishedAndInputNoLongerRead() throws Exception {
        Calls calls = new Calls();
        Iterator<Integer> endless = Stream.iterate(0, i -> i + 1).iterator();
        ResultIterator<Integer> it = pool.imap((Integer x) -> x, () -> endless, 1, Progress.bar().and(calls));
        for (int i = 0; i < 10; i++) {
            assertEquals(i, it.next());
        }
        it.close();
        assertFalse(it.hasNext(), "nothing after close()");
        long[] end = calls.last();
        assertEquals(1, end[2], "finished at close(): " + calls.text());
        calls.assertMonotonicThenFinished(-1);
        assertNoBarThread();
        Thread.sleep(300); // a read in progress at close() ends
        int readAfterClose = endless.next();
        Thread.sleep(300);
        assertEquals(readAfterClose + 1, endless.next(), "the feeder stopped reading the input");
        it.close(); // idempotent
        assertEquals(List.of(2), pool.map((Integer x) -> x + 1, List.of(1)), "the pool goes on");
    }

    @Test
    void progress_none_sameAsWithoutAndNoBarThread() throws Exception {
        assertEquals(List.of(1, 2), pool.map((Integer x) -> x + 1, List.of(0, 1), Progress.none()));
        assertThrows(NullPointerException.class, () -> pool.map((Integer x) -> x, List.of(1), (Progress) null));
        assertThrows(IllegalStateException.class, () -> Progress.to((d, t, f) -> { }).and((d, t, f) -> { }));
        assertNoBarThread();
    }
}
