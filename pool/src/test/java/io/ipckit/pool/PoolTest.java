package io.ipckit.pool;

import io.ipckit.core.SerializableFunction;
import io.ipckit.core.SerializationException;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every verb of {@link Pool} against real worker JVMs; what it shares with an executor is {@link PoolExecutorContractTest}. */
class PoolTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    void apply_everyShape_returnsResultComputedInAWorker() throws Exception {
        try (Pool pool = TestPools.create(2)) {
            long me = ProcessHandle.current().pid();
            long pid = pool.apply(Tasks::pid);
            assertNotEquals(me, pid);
            assertTrue(pool.workerPids().contains(pid), pool.workerPids() + " contains " + pid);
            assertEquals(42, (int) pool.apply((Integer x) -> x + 1, 41));
            assertEquals("ab", pool.apply((String a, String b) -> a + b, "a", "b"));
            String file = work.resolve("ran").toString();
            pool.apply(() -> Tasks.write(Path.of(file), "yes"));
            assertEquals("yes", Files.readString(Path.of(file)));
            assertNull(pool.apply((Integer x) -> null, 1));
        }
    }

    @Test
    void apply_taskThrows_rethrowsItsExceptionWithRemoteStackAndCallSite() throws Exception {
        try (Pool pool = TestPools.create(1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pool.apply(Tasks::failIfOdd, 3));
            assertEquals("odd input 3", e.getMessage());
            assertEquals("failIfOdd", e.getStackTrace()[0].getMethodName(), "stack trace from the worker");
            assertTrue(List.of(e.getSuppressed()).stream().anyMatch(s -> s.getMessage().contains("apply")),
                    "the caller's call site is attached");
            assertEquals(20, (int) pool.apply(Tasks::failIfOdd, 2), "the pool goes on");
        }
    }

    @Test
    void applyAsync_callbacks_runOnResultThreadBeforeTheResultIsReady() throws Exception {
        try (Pool pool = TestPools.create(2)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            AsyncResult<Integer>[] holder = new AsyncResult[1];
            AsyncResult<Integer> ok = pool.applyAsync((Integer x) -> x * 2, 21,
                    v -> seen.add("value " + v + " on " + Thread.currentThread().getName()
                            + " ready=" + (holder[0] != null && holder[0].ready())),
                    e -> seen.add("error " + e));
            holder[0] = ok;
            assertEquals(42, ok.get(30, TimeUnit.SECONDS));
            AsyncResult<Integer> bad = pool.applyAsync(Tasks::failIfOdd, 1, v -> seen.add("value " + v),
                    e -> seen.add("error " + e.getMessage() + " on " + Thread.currentThread().getName()));
            ExecutionException ee = assertThrows(ExecutionException.class, bad::get);
            assertInstanceOf(IllegalArgumentException.class, ee.getCause());
            String results = "ipckit-pool-results-" + pool.name();
            assertEquals(List.of("value 42 on " + results + " ready=false", "error odd input 1 on " + results), seen);
            assertTrue(ok.successful());
            assertFalse(bad.successful());
        }
    }

    @Test
    void applyAsync_getWithTimeout_throwsTimeoutExceptionThenResultArrives() throws Exception {
        try (Pool pool = TestPools.create(1)) {
            AsyncResult<Long> r = pool.applyAsync(() -> {
                Tasks.sleep(1500);
                return 7L;
            });
            assertThrows(TimeoutException.class, () -> r.get(Duration.ofMillis(100)));
            assertFalse(r.ready());
            assertThrows(IllegalStateException.class, r::successful);
            assertFalse(r.waitFor(Duration.ofMillis(50)));
            assertTrue(r.waitFor(Duration.ofSeconds(30)));
            assertTrue(r.ready());
            assertTrue(r.successful());
            assertEquals(7L, r.get());
        }
    }

    @Test
    void applyAsync_isACompletionStage_dependentsSeeTheResult() throws Exception {
        try (Pool pool = TestPools.create(1)) {
            CompletableFuture<String> chained = pool.applyAsync((Integer x) -> x + 1, 1)
                    .thenApply(v -> "got " + v).toCompletableFuture();
            assertEquals("got 2", chained.get(30, TimeUnit.SECONDS));
            CompletableFuture<Object> failed = pool.applyAsync(Tasks::failIfOdd, 5)
                    .handle((v, e) -> (Object) e).toCompletableFuture();
            assertInstanceOf(IllegalArgumentException.class, failed.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void applyAsync_callbackThrows_isReportedAndPoolGoesOn() throws Exception {
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try (Pool pool = TestPools.create(1)) {
            System.setErr(new java.io.PrintStream(captured, true));
            AsyncResult<Integer> r = pool.applyAsync((Integer x) -> x, 1, v -> {
                throw new IllegalStateException("callback bug");
            }, null);
            assertEquals(1, r.get(30, TimeUnit.SECONDS), "the result completes anyway");
            assertEquals(2, (int) pool.apply((Integer x) -> x, 2));
        } finally {
            System.setErr(stderr);
        }
        String report = captured.toString();
        assertTrue(report.contains("a callback threw") && report.contains("callback bug"), report);
    }

    @Test
    void applyAsync_getFromACallback_isRefusedInsteadOfDeadlocking() throws Exception {
        try (Pool pool = TestPools.create(2)) {
            AsyncResult<Long> slow = pool.applyAsync(() -> {
                Tasks.sleep(2000);
                return 1L;
            });
            CompletableFuture<Throwable> inCallback = new CompletableFuture<>();
            pool.applyAsync((Integer x) -> x, 1, v -> {
                try {
                    slow.get();
                    inCallback.complete(null);
                } catch (Throwable t) {
                    inCallback.complete(t);
                }
            }, null);
            assertInstanceOf(IllegalStateException.class, inCallback.get(30, TimeUnit.SECONDS));
            slow.cancel(false);
        }
    }

    @Test
    void applyAsync_unencodableTask_isRefusedAtSubmitAndPoolStaysUsable() throws Exception {
        try (Pool pool = TestPools.create(1)) {
            Thread notSendable = new Thread(() -> { });
            SerializationException e = assertThrows(SerializationException.class,
                    () -> pool.applyAsync(() -> notSendable.getName()));
            assertTrue(e.getMessage().contains("Thread"), e.getMessage());
            java.util.concurrent.Callable<Integer> plain = () -> 1;
            SerializationException e2 = assertThrows(SerializationException.class,
                    () -> pool.applyAsync(plain::call));
            assertTrue(e2.getMessage().toLowerCase().contains("serializ"), e2.getMessage());
            assertEquals(5, (int) pool.apply((Integer x) -> x, 5));
        }
    }

    @Test
    void map_anItemThatCannotBeEncoded_cancelsTheMapAndThePoolGoesOn() throws Exception {
        try (Pool pool = TestPools.create(2)) {
            List<Object> items = new java.util.ArrayList<>();
            for (int i = 0; i < 99; i++) {
                items.add(i);
            }
            items.add(new Thread(() -> { })); // in the last of 4 chunks of 25
            SerializationException e = assertThrows(SerializationException.class,
                    () -> pool.map(Object::hashCode, items, 25));
            assertTrue(e.getMessage().contains("Thread"), e.getMessage());
            assertEquals(List.of(0, 1, 4), pool.map((Integer x) -> x * x, List.of(0, 1, 2)));
        }
    }

    @Test
    void apply_resultCannotBeEncoded_failsWithSerializationExceptionAndPoolGoesOn() throws Exception {
        try (Pool pool = TestPools.create(1)) {
            SerializationException e = assertThrows(SerializationException.class, () -> pool.apply(() -> new Thread()));
            assertTrue(e.getMessage().contains("Thread"), e.getMessage());
            assertEquals(1, (int) pool.apply((Integer x) -> x, 1));
        }
    }

    @Test
    void applyAsync_argumentOverSizeLimit_isRefusedAtSubmitAndCloseDoesNotWaitForIt() throws Exception {
        Pool pool = TestPools.create(1);
        byte[] big = new byte[io.ipckit.core.Codec.DEFAULT_MAX_MESSAGE_BYTES + 1];
        assertThrows(io.ipckit.core.MessageTooLargeException.class, () -> pool.applyAsync((byte[] b) -> b.length, big));
        byte[] almost = new byte[io.ipckit.core.Codec.DEFAULT_MAX_MESSAGE_BYTES - 100];
        assertThrows(io.ipckit.core.MessageTooLargeException.class,
                () -> pool.applyAsync((byte[] b) -> b.length, almost), "arguments and function together too big");
        assertEquals(3, (int) pool.apply((Integer x) -> x, 3));
        pool.close();
        assertTrue(pool.isTerminated());
    }

    @Test
    void map_chunksizes_resultsInInputOrder() throws Exception {
        try (Pool pool = TestPools.create(2)) {
            List<Integer> in = IntStream.range(0, 100).boxed().collect(Collectors.toList());
            List<Integer> expected = in.stream().map(x -> x * x).collect(Collectors.toList());
            assertEquals(expected, pool.map((Integer x) -> x * x, in));
            assertEquals(expected, pool.map((Integer x) -> x * x, in, 1));
            assertEquals(expected, pool.map((Integer x) -> x * x, in, 7));
            assertEquals(expected, pool.map((Integer x) -> x * x, in, 1000));
            assertEquals(List.of(), pool.map((Integer x) -> x, List.of()));
            Set<Long> pids = new TreeSet<>(pool.map((Integer x) -> Tasks.stamped(x, 100)[1], in.subList(0, 8), 1));
            assertEquals(new TreeSet<>(pool.workerPids()), pids, "both workers took part");
        }
    }

    @Test
    void map_oneItemFails_throwsThatException() throws Exception {
        try (Pool pool = TestPools.create(2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pool.map(Tasks::failIfOdd, List.of(0, 2, 4, 5, 6), 1));
            assertEquals("odd input 5", e.getMessage());
        }
    }

    @Test
    void mapAsync_callbackGetsTheWholeList() throws Exception {
        try (Pool pool = TestPools.create(2)) {
            CompletableFuture<List<Integer>> got = new CompletableFuture<>();
            AsyncResult<List<Integer>> r = pool.mapAsync((Integer x) -> x + 1, List.of(1, 2, 3), 2, got::complete, null);
            assertEquals(List.of(2, 3, 4), r.get(30, TimeUnit.SECONDS));
            assertEquals(List.of(2, 3, 4), got.get(1, TimeUnit.SECONDS));
            CompletableFuture<Throwable> error = new CompletableFuture<>();
            AsyncResult<List<Integer>> bad = pool.mapAsync(Tasks::failIfOdd, List.of(2, 3), 1, null, error::complete);
            assertThrows(ExecutionException.class, bad::get);
            assertEquals("odd input 3", error.get(1, TimeUnit.SECONDS).getMessage());
        }
    }

    @Test
    void starmap_appliesEachPairAsTwoArguments() throws Exception {
        try (Pool pool = TestPools.create(2)) {
            assertEquals(List.of(3, 7, 11), pool.starmap(Integer::sum, List.of(Map.entry(1, 2), Map.entry(3, 4),
                    Map.entry(5, 6))));
            assertEquals(List.of(3, 7, 11), pool.starmap((Integer a, Integer b) -> a + b,
                    List.of(Map.entry(1, 2), Map.entry(3, 4), Map.entry(5, 6)), 2));
            assertEquals(List.of("a1", "b2"), pool.starmapAsync((String k, Integer v) -> k + v,
                    new java.util.TreeMap<>(Map.of("a", 1, "b", 2)).entrySet()).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void imap_resultsInInputOrder_failedItemThrowsAndIterationGoesOn() throws Exception {
        try (Pool pool = TestPools.create(2)) {
            Iterator<Integer> it = pool.imap(Tasks::failIfOdd, List.of(0, 2, 3, 4), 1);
            assertEquals(0, it.next());
            assertEquals(20, it.next());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, it::next);
            assertEquals("odd input 3", e.getMessage());
            assertTrue(it.hasNext());
            assertEquals(40, it.next());
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
            List<Integer> chunked = new ArrayList<>();
            pool.imap((Integer x) -> x * 2, IntStream.range(0, 50).boxed().collect(Collectors.toList()), 7)
                    .forEachRemaining(chunked::add);
            assertEquals(IntStream.range(0, 50).map(x -> x * 2).boxed().collect(Collectors.toList()), chunked);
        }
    }

    @Test
    void imapUnordered_yieldsEveryResultInCompletionOrder() throws Exception {
        try (Pool pool = TestPools.create(2)) {
            // item 0 sleeps longest: it comes last although it was submitted first
            ResultIterator<Long> it = pool.imapUnordered((Integer x) -> Tasks.stamped(x, x == 0 ? 1500 : 10)[0],
                    List.of(0, 1, 2, 3, 4, 5));
            List<Long> got = new ArrayList<>();
            it.forEachRemaining(got::add);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), got.stream().sorted().collect(Collectors.toList()));
            assertEquals(0L, got.get(got.size() - 1));
        }
    }

    @Test
    void apply_taskLeavesItsThreadInterrupted_theSameWorkerRunsTheNextTask() throws Exception {
        try (Pool pool = TestPools.create(1)) {
            long first = pool.apply((Integer x) -> {
                Thread.currentThread().interrupt(); // as code that restores the flag after catching InterruptedException
                return Tasks.pid();
            }, 0);
            Thread.sleep(300); // the worker goes idle with the flag set, if it was left set
            assertEquals(first, (long) pool.apply((Integer x) -> Tasks.pid(), 1), "the worker survived the flag");
            assertEquals(List.of(first), pool.workerPids());
        }
    }

    @Test
    void imap_manyCallsInARow_reuseFeederThreadsAndEndThemWithThePool() throws Exception {
        Set<Long> feeders = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Iterable<Integer> input = () -> IntStream.range(0, 5).peek(i -> {
            feeders.add(Thread.currentThread().getId());
            names.add(Thread.currentThread().getName());
        }).iterator();
        Pool pool = TestPools.create(2);
        try {
            for (int call = 0; call < 30; call++) {
                List<Integer> got = new ArrayList<>();
                pool.imapUnordered((Integer x) -> x * 2, input).forEachRemaining(got::add);
                assertEquals(List.of(0, 2, 4, 6, 8), got.stream().sorted().collect(Collectors.toList()));
            }
            assertTrue(feeders.size() <= 3, "30 calls in a row read their input on " + feeders.size()
                    + " threads (a thread each made every small imap cost milliseconds): " + names);
            assertTrue(names.stream().allMatch(n -> n.startsWith("ipckit-pool-feeder-" + pool.name())), names.toString());
        } finally {
            pool.close();
            pool.join();
        }
        // the base class fails the test when an ipckit-pool-feeder thread outlives the pool
    }

    @Test
    void imap_readsInputLazilyAndYieldsWhileWorkGoesOn() throws Exception {
        int lookahead = 4;
        try (Pool pool = TestPools.builder(2).imapLookahead(lookahead).build()) {
            AtomicInteger read = new AtomicInteger();
            Iterable<Integer> input = () -> new Iterator<>() {
                int next;

                @Override
                public boolean hasNext() {
                    return next < 40;
                }

                @Override
                public Integer next() {
                    read.incrementAndGet();
                    return next++;
                }
            };
            ResultIterator<long[]> it = pool.imap((Integer x) -> Tasks.stamped(x, 100), input);
            long[] first = it.next(Duration.ofSeconds(30));
            long firstSeenAt = System.currentTimeMillis();
            int readThen = read.get();
            long sampledAt = System.currentTimeMillis();
            assertEquals(0, first[0]);
            List<long[]> rest = new ArrayList<>();
            it.forEachRemaining(rest::add);
            assertEquals(39, rest.size());
            assertEquals(40, read.get());
            rest.add(first);
            long endedBySample = rest.stream().filter(r -> r[3] <= sampledAt).count();
            assertTrue(readThen <= lookahead + endedBySample, "read " + readThen + " items with a look-ahead of "
                    + lookahead + " chunks and " + endedBySample + " tasks finished: the input is read lazily");
            long lastStart = rest.stream().mapToLong(r -> r[2]).max().orElseThrow();
            assertTrue(firstSeenAt < lastStart, "the first result came (" + firstSeenAt
                    + ") before the last task started (" + lastStart + ")");
        }
    }

    @Test
    void imap_nextWithTimeout_throwsTimeoutExceptionWhileWaiting() throws Exception {
        try (Pool pool = TestPools.create(1)) {
            ResultIterator<Long> it = pool.imap((Integer x) -> Tasks.stamped(x, 1500)[0], List.of(9));
            assertThrows(TimeoutException.class, () -> it.next(Duration.ofMillis(100)));
            assertEquals(9L, it.next(Duration.ofSeconds(30)));
            assertThrows(NoSuchElementException.class, () -> it.next(Duration.ofSeconds(1)));
        }
    }

    @Test
    void close_refusesNewTasksButFinishesQueuedOnes() throws Exception {
        Pool pool = TestPools.create(2);
        List<AsyncResult<long[]>> queued = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            queued.add(pool.applyAsync(Tasks::stamped, i, 200L));
        }
        ResultIterator<Integer> open = pool.imap((Integer x) -> x + 1, List.of(1, 2, 3));
        pool.close();
        for (AsyncResult<long[]> r : queued) {
            assertTrue(r.ready(), "close() waited for queued tasks");
            assertTrue(r.successful());
        }
        List<Integer> fromImap = new ArrayList<>();
        open.forEachRemaining(fromImap::add);
        assertEquals(List.of(2, 3, 4), fromImap, "an imap open at close() was finished");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.applyAsync(Tasks::pid));
        assertTrue(e.getMessage().startsWith("pool is not running"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> pool.map((Integer x) -> x, List.of(1)));
        assertTrue(pool.isTerminated());
        assertTrue(pool.workerPids().isEmpty());
        pool.join();
        pool.close();
    }

    @Test
    void join_beforeCloseOrTerminate_isRefused() throws Exception {
        try (Pool pool = TestPools.create(1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, pool::join);
            assertTrue(e.getMessage().contains("close()"), e.getMessage());
            assertEquals(1, (int) pool.apply((Integer x) -> x, 1));
        }
    }

    @Test
    void builder_invalidOptions_areRefusedWithTheFix() {
        assertThrows(IllegalArgumentException.class, () -> Pool.builder().processes(0));
        assertThrows(IllegalArgumentException.class, () -> Pool.builder().name("a/b"));
        assertThrows(IllegalArgumentException.class, () -> Pool.builder().maxTasksPerWorker(-1));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> Pool.builder().maxTasksPerWorker(0), "Python refuses maxtasksperchild=0 too");
        assertTrue(zero.getMessage().contains("leave it unset"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pool.builder().taskTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Pool.builder().retries(-1));
        Thread t = new Thread(() -> { });
        assertThrows(SerializationException.class, () -> Pool.builder().initializer(() -> t.getName()));
        SerializableFunction<Integer, Integer> ok = x -> x;
        assertEquals(1, ok.apply(1));
    }

    @Test
    void build_initializerWithArgument_runsInEveryWorkerBeforeTasks() throws Exception {
        try (Pool pool = TestPools.builder(2).initializer(Init::set, "configured").build()) {
            List<String> seen = pool.map((Integer x) -> Init.value + "@" + Tasks.stamped(x, 50)[1],
                    List.of(1, 2, 3, 4, 5, 6), 1);
            assertEquals(6, seen.size());
            assertTrue(seen.stream().allMatch(s -> s.startsWith("configured@")), seen.toString());
        }
    }

    /** Files of the pool (its slots, its initializer) are opened with interruptible FileChannels. */
    @Test
    void buildAndSubmit_callerThreadInterrupted_workAndKeepTheFlag() throws Exception {
        Pool pool;
        AsyncResult<String> result;
        Thread.currentThread().interrupt(); // as a thread whose earlier wait was interrupted, flag restored
        try {
            pool = TestPools.builder(1).initializer(Init::set, "interrupted").build();
            try {
                result = pool.applyAsync(() -> Init.value);
                assertTrue(Thread.currentThread().isInterrupted(), "the flag is the caller's: kept");
            } catch (RuntimeException | Error e) {
                pool.terminate();
                throw e;
            }
        } finally {
            Thread.interrupted();
        }
        try (Pool p = pool) {
            assertEquals("interrupted", result.get(60, TimeUnit.SECONDS));
            assertEquals(3, (int) p.apply((Integer x) -> x + 1, 2));
        }
    }

    @Test
    void applyAsync_lambdaOrMethodReferenceWithCallbacks_resolvesWithoutCasts() throws Exception {
        try (Pool pool = TestPools.create(1)) {
            List<Object> seen = new CopyOnWriteArrayList<>();
            AsyncResult<Long> byReference = pool.applyAsync(Tasks::pid, seen::add, Throwable::printStackTrace);
            AsyncResult<Long> byLambda = pool.applyAsync(() -> ProcessHandle.current().pid(), seen::add,
                    Throwable::printStackTrace);
            assertEquals(byReference.get(30, TimeUnit.SECONDS), byLambda.get(30, TimeUnit.SECONDS), "one worker ran both");
            assertEquals(2, seen.size(), "each callback ran before its result completed: " + seen);
        }
    }

    @Test
    void create_withUnknownWorkerJvmOption_failsQuicklyNamingTheOptions() throws Exception {
        long t0 = System.nanoTime();
        try (Pool pool = TestPools.builder(1).workerJvmOptions("-XX:+NoSuchOptionAtAll").build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.awaitReady(Duration.ofSeconds(20)));
            assertTrue(e.getMessage().contains("NoSuchOptionAtAll"), e.getMessage());
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
            assertTrue(refused.getMessage().contains("NoSuchOptionAtAll"), "a task names the cause: " + refused.getMessage());
        }
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 20);
    }

    @Test
    void create_returnsBeforeWorkersAreReady_tasksWaitForThem_awaitReadyWaitsForAll() throws Exception {
        String gate = work.resolve("gate").toString();
        long t0 = System.nanoTime();
        try (Pool pool = TestPools.builder(2).initializer(Tasks::awaitFile, gate).build()) {
            long createdMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            AsyncResult<Long> first = pool.applyAsync(Tasks::pid);
            assertThrows(TimeoutException.class, () -> pool.awaitReady(Duration.ofMillis(300)),
                    "no worker can be ready while its initializer waits");
            assertFalse(first.ready(), "the task waits for a worker");
            Files.writeString(Path.of(gate), "go");
            assertTrue(pool.workerPids().contains(first.get(30, TimeUnit.SECONDS)));
            assertEquals(pool, pool.awaitReady(Duration.ofSeconds(30)));
            assertEquals(2, pool.workerPids().size(), "every worker up");
            assertTrue(createdMillis < 1_000, "create returned in " + createdMillis + " ms, without waiting for a JVM");
        }
    }

    /** State set by an initializer in the worker. */
    public static final class Init {
        static volatile String value = "unset";

        public static void set(String v) {
            value = v;
        }
    }
}
