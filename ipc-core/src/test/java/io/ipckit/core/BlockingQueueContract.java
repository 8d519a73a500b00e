package io.ipckit.core;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The blocking and concurrent side of the {@link BlockingQueue} contract, in JCTools' manner (its
 * {@code QueueSanityTest}): one abstract suite, a subclass per implementation that says how to make a
 * fresh queue and how to close a handle. What every ipckit queue promises beyond the JDK's contract is
 * here too: a handle closed while a caller waits wakes it with {@link ChannelClosedException}, and so does
 * every later call. The {@code Collection}/{@code Queue} methods of {@link SharedQueue} are guava-testlib's
 * ({@link SharedQueueContractTest}); they are not repeated here.
 *
 * <p>Subclasses make their one space or manager in {@code @BeforeAll} and close it in {@code @AfterAll}.
 */
abstract class BlockingQueueContract extends LeakCheckingTest {
    /** Long enough to see a caller wait, short enough to keep the suite fast. */
    private static final long BLOCKED_MILLIS = 150;

    /** A new, empty queue of a name not used before: bounded to {@code capacity}, unbounded when 0. */
    protected abstract BlockingQueue<Integer> create(int capacity);

    /** Closes this handle of {@code q} (not the queue's data, which other handles keep). */
    protected abstract void closeHandle(BlockingQueue<Integer> q);

    /** Whether the implementation has its own {@code drainTo} (an adapter in the test would test only itself). */
    protected boolean hasDrainTo() {
        return true;
    }

    // ------------------------------------------------------------------ order and sizes

    @Test
    void everyInsertAndRemoveVerb_fifoAndSizesFollow() throws Exception {
        BlockingQueue<Integer> q = create(0);
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
        q.put(0);
        assertTrue(q.offer(1));
        assertTrue(q.offer(2, 1, TimeUnit.SECONDS));
        for (int i = 3; i < 100; i++) {
            q.put(i);
        }
        assertEquals(100, q.size());
        assertFalse(q.isEmpty());
        List<Integer> got = new ArrayList<>();
        got.add(q.take());
        got.add(q.poll());
        got.add(q.poll(1, TimeUnit.SECONDS));
        while (got.size() < 100) {
            got.add(q.take());
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(i);
        }
        assertEquals(expected, got);
        assertTrue(q.isEmpty());
    }

    @Test
    void unbounded_remainingCapacityIsMaxValue() throws Exception {
        BlockingQueue<Integer> q = create(0);
        q.put(1);
        assertEquals(Integer.MAX_VALUE, q.remainingCapacity());
    }

    @Test
    void bounded_remainingCapacityCountsDownAndBackUp() throws Exception {
        BlockingQueue<Integer> q = create(3);
        assertEquals(3, q.remainingCapacity());
        q.put(1);
        q.put(2);
        assertEquals(1, q.remainingCapacity());
        assertEquals(1, q.take());
        assertEquals(2, q.remainingCapacity());
    }

    // ------------------------------------------------------------------ empty: null, timeouts, waiting

    @Test
    void poll_empty_nullAtOnce_andTimedPollNullAfterItsTimeout() throws Exception {
        BlockingQueue<Integer> q = create(0);
        assertNull(q.poll());
        assertNull(q.poll(0, TimeUnit.MILLISECONDS), "a zero timeout is one attempt");
        assertNull(q.poll(-1, TimeUnit.SECONDS), "so is a negative one");
        long t0 = System.nanoTime();
        assertNull(q.poll(100, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(100), "poll waited its timeout");
        q.put(7);
        assertEquals(7, q.poll(), "usable after");
    }

    @Test
    void take_blocksUntilAnotherThreadPuts() throws Exception {
        BlockingQueue<Integer> q = create(0);
        CompletableFuture<Integer> taker = async(q::take);
        assertStillBlocked(taker);
        q.put(42);
        assertEquals(42, taker.get(10, TimeUnit.SECONDS));
    }

    @Test
    void timedPoll_messageArrivesWhileWaiting_returnsItBeforeTheTimeout() throws Exception {
        BlockingQueue<Integer> q = create(0);
        CompletableFuture<Integer> taker = async(() -> q.poll(30, TimeUnit.SECONDS));
        assertStillBlocked(taker);
        long t0 = System.nanoTime();
        q.put(5);
        assertEquals(5, taker.get(10, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
    }

    // ------------------------------------------------------------------ full: false, timeouts, waiting

    @Test
    void bounded_full_offerFalseTimedOfferFalseAfterItsTimeout_nothingAdded() throws Exception {
        BlockingQueue<Integer> q = create(2);
        assertTrue(q.offer(1));
        assertTrue(q.offer(2));
        assertEquals(0, q.remainingCapacity());
        assertFalse(q.offer(3));
        assertFalse(q.offer(3, 0, TimeUnit.MILLISECONDS));
        long t0 = System.nanoTime();
        assertFalse(q.offer(3, 100, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(100), "offer waited its timeout");
        assertEquals(2, q.size(), "the refused offers added nothing");
        assertEquals(1, q.take());
        assertTrue(q.offer(3));
        assertEquals(List.of(2, 3), List.of(q.take(), q.take()));
    }

    @Test
    void bounded_full_putBlocksUntilAConsumerTakes() throws Exception {
        BlockingQueue<Integer> q = create(1);
        q.put(1);
        CompletableFuture<Object> putter = async(() -> {
            q.put(2);
            return "put";
        });
        assertStillBlocked(putter);
        assertEquals(1, q.take());
        assertEquals("put", putter.get(10, TimeUnit.SECONDS));
        assertEquals(2, q.take());
    }

    // ------------------------------------------------------------------ nulls

    @Test
    void nullElement_refusedByEveryInsertVerb_queueUnchanged() throws Exception {
        BlockingQueue<Integer> q = create(0);
        q.put(1);
        assertThrows(NullPointerException.class, () -> q.offer(null));
        assertThrows(NullPointerException.class, () -> q.put(null));
        assertThrows(NullPointerException.class, () -> q.offer(null, 1, TimeUnit.SECONDS));
        assertEquals(1, q.size());
        assertEquals(1, q.take());
    }

    // ------------------------------------------------------------------ interrupts

    @Test
    void interrupt_wakesABlockedTakerAndABlockedPutter_queueUsableAfter() throws Exception {
        BlockingQueue<Integer> empty = create(0);
        BlockingQueue<Integer> full = create(1);
        full.put(0);
        AtomicReference<Thread> taking = new AtomicReference<>();
        AtomicReference<Thread> putting = new AtomicReference<>();
        CompletableFuture<Integer> taker = async(() -> {
            taking.set(Thread.currentThread());
            return empty.take();
        });
        CompletableFuture<Object> putter = async(() -> {
            putting.set(Thread.currentThread());
            full.put(1);
            return "put";
        });
        assertStillBlocked(taker);
        assertStillBlocked(putter);
        taking.get().interrupt();
        putting.get().interrupt();
        assertInstanceOf(InterruptedException.class, failureOf(taker));
        assertInstanceOf(InterruptedException.class, failureOf(putter));
        assertEquals(1, full.size(), "the interrupted put added nothing");
        empty.put(3);
        assertEquals(3, empty.take());
    }

    @Test
    void interruptedThread_callThatMustWait_throwsInterruptedAndClearsTheFlag() throws Exception {
        BlockingQueue<Integer> q = create(1);
        try {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> q.poll(1, TimeUnit.SECONDS));
            assertFalse(Thread.currentThread().isInterrupted(), "the flag is cleared");
            q.put(1);
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> q.offer(2, 1, TimeUnit.SECONDS));
            assertFalse(Thread.currentThread().isInterrupted(), "the flag is cleared");
            assertEquals(1, q.size());
        } finally {
            Thread.interrupted();
        }
    }

    // ------------------------------------------------------------------ close

    @Test
    void closeHandle_wakesBlockedTakerPollerAndPutter_laterCallsThrowClosed() throws Exception {
        BlockingQueue<Integer> q = create(1);
        BlockingQueue<Integer> emptyOne = create(0);
        q.put(0);
        CompletableFuture<Object> putter = async(() -> {
            q.put(1);
            return "put";
        });
        CompletableFuture<Integer> taker = async(emptyOne::take);
        CompletableFuture<Integer> poller = async(() -> emptyOne.poll(1, TimeUnit.HOURS));
        assertStillBlocked(putter);
        assertStillBlocked(taker);
        assertStillBlocked(poller);
        closeHandle(q);
        closeHandle(emptyOne);
        assertInstanceOf(ChannelClosedException.class, failureOf(putter));
        assertInstanceOf(ChannelClosedException.class, failureOf(taker));
        assertInstanceOf(ChannelClosedException.class, failureOf(poller));
        assertThrows(ChannelClosedException.class, () -> q.offer(2));
        assertThrows(ChannelClosedException.class, () -> q.put(2));
        assertThrows(ChannelClosedException.class, q::poll);
        assertThrows(ChannelClosedException.class, q::take);
        closeHandle(q);
    }

    // ------------------------------------------------------------------ drainTo

    @Test
    void drainTo_movesInOrder_boundedByMaxElements_refusesItselfAndNull() throws Exception {
        assumeTrue(hasDrainTo(), "no drainTo of its own");
        BlockingQueue<Integer> q = create(0);
        for (int i = 0; i < 10; i++) {
            q.put(i);
        }
        List<Integer> sink = new ArrayList<>();
        assertEquals(3, q.drainTo(sink, 3));
        assertEquals(List.of(0, 1, 2), sink);
        assertEquals(0, q.drainTo(sink, 0));
        assertEquals(7, q.drainTo(sink));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), sink);
        assertEquals(0, q.drainTo(sink));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
        assertThrows(NullPointerException.class, () -> q.drainTo(null));
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void competingProducersAndConsumers_eachMessageTakenOnce_inEachProducersOrder() throws Exception {
        BlockingQueue<Integer> q = create(64);
        int producers = 2;
        int consumers = 3;
        int perProducer = 3_000;
        List<CompletableFuture<Object>> puts = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            puts.add(async(() -> {
                for (int i = 0; i < perProducer; i++) {
                    q.put(base + i);
                }
                return null;
            }));
        }
        List<CompletableFuture<List<Integer>>> takes = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            takes.add(async(() -> {
                List<Integer> got = new ArrayList<>();
                for (Integer v = q.poll(2, TimeUnit.SECONDS); v != null && v >= 0; v = q.poll(2, TimeUnit.SECONDS)) {
                    got.add(v);
                }
                return got;
            }));
        }
        for (CompletableFuture<Object> p : puts) {
            p.get(50, TimeUnit.SECONDS);
        }
        for (int c = 0; c < consumers; c++) {
            q.put(-1);
        }
        Set<Integer> all = new HashSet<>();
        int total = 0;
        for (CompletableFuture<List<Integer>> f : takes) {
            List<Integer> got = f.get(50, TimeUnit.SECONDS);
            int[] last = new int[producers];
            java.util.Arrays.fill(last, -1);
            for (int v : got) {
                int p = v / perProducer;
                assertTrue(v > last[p], "a consumer sees each producer's order");
                last[p] = v;
            }
            all.addAll(got);
            total += got.size();
        }
        assertEquals(producers * perProducer, total, "no message taken twice");
        assertEquals(producers * perProducer, all.size(), "no message lost");
        assertTrue(q.isEmpty());
    }

    // ------------------------------------------------------------------ helpers

    /** Runs {@code body} on a new daemon thread, so a test can see it wait. */
    static <T> CompletableFuture<T> async(Callable<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "test-queue-user");
        t.setDaemon(true);
        t.start();
        return f;
    }

    static Throwable failureOf(CompletableFuture<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("completed normally");
    }

    static void assertStillBlocked(CompletableFuture<?> f) {
        assertThrows(TimeoutException.class, () -> f.get(BLOCKED_MILLIS, TimeUnit.MILLISECONDS), "should still wait");
    }
}
