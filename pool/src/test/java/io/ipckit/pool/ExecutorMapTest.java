package io.ipckit.pool;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python's {@code Executor.map(fn, iterable, timeout, chunksize)} on ProcessPoolExecutor. */
class ExecutorMapTest extends LeakCheckingTest {
    @Test
    void map_resultsInInputOrder_withChunks_aFailedItemThrowsAndIterationGoesOn() throws Exception {
        try (ProcessPoolExecutor ex = ProcessPoolExecutor.create(2)) {
            List<Integer> input = IntStream.range(0, 30).boxed().collect(Collectors.toList());
            List<Integer> out = new ArrayList<>();
            ex.<Integer, Integer>map(x -> x * x, input).forEachRemaining(out::add);
            assertEquals(input.stream().map(x -> x * x).collect(Collectors.toList()), out);

            ResultIterator<Integer> it = ex.map(Tasks::failIfOdd, List.of(0, 1, 2), null, 2);
            assertEquals(0, it.next());
            assertThrows(IllegalArgumentException.class, it::next, "item 1's own exception");
            assertEquals(20, it.next(), "the next item after a failure");
        }
    }

    @Test
    void map_pastTheTimeoutCountedFromTheCall_nextThrowsTimeout() throws Exception {
        try (ProcessPoolExecutor ex = ProcessPoolExecutor.create(1)) {
            ex.awaitReady(Duration.ofSeconds(60)); // the deadline counts from the call: a booting worker would eat it
            ResultIterator<Long> it = ex.map((Integer x) -> {
                Tasks.sleep(x);
                return (long) x;
            }, List.of(0, 20_000), Duration.ofSeconds(4), 1);
            assertEquals(0L, it.next());
            CompletionException e = assertThrows(CompletionException.class, it::next);
            assertInstanceOf(TimeoutException.class, e.getCause());
            ex.shutdownNow();
        }
    }

    @Test
    void map_afterShutdown_isRejected() throws Exception {
        ProcessPoolExecutor ex = ProcessPoolExecutor.create(1);
        ex.shutdown();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                () -> ex.<Integer, Integer>map(x -> x, List.of(1)));
        assertTrue(e.getMessage().contains("shut down"), e.getMessage());
        ex.close();
    }
}
