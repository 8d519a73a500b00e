package io.ipckit.core;

import io.ipckit.core.internal.channel.ChannelFiles;
import io.ipckit.core.test.LeakCheckingTest;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The channel's contract within one JVM (threads); the multi-process forms are in ChannelMultiProcessTest. */
class ChannelTest extends LeakCheckingTest {
    private Space space;

    @BeforeEach
    void createSpace() {
        space = Space.create();
    }

    @AfterEach
    void closeSpace() {
        space.close();
    }

    @Test
    void put_thenTake_returnsMessagesInOrder() throws Exception {
        Channel<String> ch = space.channel("orders");
        for (int i = 0; i < 100; i++) {
            ch.put("m" + i);
        }
        assertEquals(100, ch.size());
        for (int i = 0; i < 100; i++) {
            assertEquals("m" + i, ch.take());
        }
        assertTrue(ch.isEmpty());
    }

    @Test
    void poll_emptyChannel_returnsNullAtOnce() {
        Channel<String> ch = space.channel("empty");
        assertNull(ch.poll());
    }

    @Test
    void pollWithTimeout_emptyChannel_returnsNullAfterTimeout() throws Exception {
        Channel<String> ch = space.channel("empty");
        long t0 = System.nanoTime();
        assertNull(ch.poll(50, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void pollWithTimeout_messageArrivesWhileWaiting_returnsIt() throws Exception {
        Channel<String> ch = space.channel("late");
        CompletableFuture<String> got = CompletableFuture.supplyAsync(() -> {
            try {
                return ch.poll(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        ch.put("hello");
        assertEquals("hello", got.get(10, TimeUnit.SECONDS));
    }

    @Test
    void secondHandle_seesMessagesOfFirst() throws Exception {
        Channel<String> a = space.channel("shared");
        a.put("x");
        try (Space other = Space.open(space.directory())) {
            Channel<String> b = other.channel("shared");
            assertEquals(1, b.size());
            assertEquals("x", b.take());
            assertEquals(0, a.size());
        }
    }

    @Test
    void offer_boundedChannelFull_returnsFalseAndKeepsMessages() throws Exception {
        Channel<Integer> ch = space.<Integer>channelBuilder("bounded").capacity(3).open();
        assertTrue(ch.offer(1));
        assertTrue(ch.offer(2));
        assertTrue(ch.offer(3));
        assertEquals(0, ch.remainingCapacity());
        assertFalse(ch.offer(4));
        assertFalse(ch.offer(4, 20, TimeUnit.MILLISECONDS));
        assertEquals(1, ch.take());
        assertTrue(ch.offer(4));
        assertEquals(List.of(2, 3, 4), List.of(ch.take(), ch.take(), ch.take()));
    }

    @Test
    void put_boundedChannelFull_blocksUntilAConsumerTakes() throws Exception {
        Channel<Integer> ch = space.<Integer>channelBuilder("bounded").capacity(1).open();
        ch.put(1);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            started.countDown();
            try {
                ch.put(2);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        started.await();
        Thread.sleep(100);
        assertFalse(producer.isDone(), "put must wait while the channel is full");
        assertEquals(1, ch.take());
        producer.get(10, TimeUnit.SECONDS);
        assertEquals(2, ch.take());
    }

    @Test
    void open_existingChannelWithOtherCapacity_failsNamingBoth() {
        space.channelBuilder("jobs").capacity(10).open();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> space.channelBuilder("jobs").capacity(20).open());
        assertTrue(e.getMessage().contains("capacity 10") && e.getMessage().contains("capacity 20"), e.getMessage());
        assertEquals(10, space.channel("jobs").capacity(), "opening without a capacity takes the existing one");
    }

    @Test
    void capacity_belowOne_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> space.channelBuilder("c").capacity(0));
    }

    @Test
    void channel_invalidName_isRefusedBeforeAnyFileIsTouched() throws Exception {
        Set<Path> before = listTree(space.directory());
        for (String bad : List.of("", ".", "..", "a/b", "../x", "x\u0000y", "tab\tname", "a".repeat(101), "é")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> space.channel(bad),
                    "name " + bad);
            assertTrue(e.getMessage().contains("[A-Za-z0-9._-]"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> space.channel(null));
        assertEquals(before, listTree(space.directory()));
        space.channel("a".repeat(100)).close();
    }

    @Test
    void put_null_throwsNullPointerException() {
        Channel<String> ch = space.channel("n");
        assertThrows(NullPointerException.class, () -> ch.put(null));
        assertThrows(NullPointerException.class, () -> ch.offer(null));
    }

    @Test
    void close_wakesBlockedTakeWithChannelClosedException() throws Exception {
        Channel<String> ch = space.channel("waiting");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch started = new CountDownLatch(2);
            Future<String> take = pool.submit(() -> {
                started.countDown();
                return ch.take();
            });
            Future<String> poll = pool.submit(() -> {
                started.countDown();
                return ch.poll(1, TimeUnit.HOURS);
            });
            started.await();
            Thread.sleep(100);
            ch.close();
            for (Future<String> f : List.of(take, poll)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
                assertInstanceOf(ChannelClosedException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("waiting"), e.getCause().getMessage());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void close_wakesProducerBlockedOnFullChannel() throws Exception {
        Channel<Integer> ch = space.<Integer>channelBuilder("full").capacity(1).open();
        ch.put(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                ch.put(2);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        producer.start();
        Thread.sleep(100);
        ch.close();
        producer.join(5_000);
        assertFalse(producer.isAlive());
        assertInstanceOf(ChannelClosedException.class, failure.get());
    }

    @Test
    void anyCall_afterClose_throwsChannelClosedException() {
        Channel<String> ch = space.channel("closed");
        ch.close();
        ch.close();
        assertTrue(ch.isClosed());
        assertThrows(ChannelClosedException.class, () -> ch.put("x"));
        assertThrows(ChannelClosedException.class, () -> ch.offer("x"));
        assertThrows(ChannelClosedException.class, ch::poll);
        assertThrows(ChannelClosedException.class, ch::take);
    }

    @Test
    void channel_afterSpaceClose_throwsChannelClosedException() {
        Space s = Space.create();
        Channel<String> ch = s.channel("a");
        s.close();
        assertTrue(ch.isClosed(), "closing the space closes its channels");
        assertThrows(ChannelClosedException.class, () -> s.channel("b"));
        assertFalse(Files.exists(s.directory()), "a created space is removed on close");
    }

    @Test
    void take_interrupted_throwsInterruptedException() throws Exception {
        Channel<String> ch = space.channel("i");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                ch.take();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        Thread.sleep(100);
        t.interrupt();
        t.join(5_000);
        assertInstanceOf(InterruptedException.class, failure.get());
    }

    @Test
    @Timeout(60)
    void competingConsumerThreads_eachMessageTakenExactlyOnce() throws Exception {
        Channel<Integer> ch = space.channel("work");
        int n = 50_000;
        int consumers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(consumers + 1);
        try {
            Future<?> producer = pool.submit(() -> {
                for (int i = 0; i < n; i++) {
                    ch.put(i);
                }
                for (int i = 0; i < consumers; i++) {
                    ch.put(-1);
                }
                return null;
            });
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                results.add(pool.submit(() -> {
                    List<Integer> got = new ArrayList<>();
                    for (int v = ch.take(); v != -1; v = ch.take()) {
                        got.add(v);
                    }
                    return got;
                }));
            }
            producer.get(50, TimeUnit.SECONDS);
            Set<Integer> all = new HashSet<>();
            int total = 0;
            for (Future<List<Integer>> f : results) {
                List<Integer> got = f.get(50, TimeUnit.SECONDS);
                for (int i = 1; i < got.size(); i++) {
                    assertTrue(got.get(i - 1) < got.get(i), "each consumer sees the producer's order");
                }
                all.addAll(got);
                total += got.size();
            }
            assertEquals(n, total, "no message taken twice");
            assertEquals(n, all.size(), "no message lost");
            assertTrue(ch.isEmpty());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void undecodableMessage_isMovedToDeadLettersAndChannelGoesOn() throws Exception {
        Channel<String> ch = space.channel("dl");
        ch.put("before");
        Path queueDir = space.directory().resolve("channels/dl/queue");
        try (SingleChronicleQueue raw = ChannelFiles.open(queueDir, Channel.DEFAULT_ROLL_CYCLE, 1 << 20);
             ExcerptAppender appender = raw.createAppender()) {
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().writeInt(0).write(new byte[] {(byte) 0xFF, 0x13, 0x77, 0x01});
            }
        }
        ch.put("after");
        assertEquals("before", ch.take());
        SerializationException e = assertThrows(SerializationException.class, ch::take);
        assertTrue(e.getMessage().contains("dead-letter"), e.getMessage());
        assertEquals("after", ch.take());
        assertTrue(Files.list(space.directory().resolve("channels/dl/dead-letter"))
                .anyMatch(p -> p.toString().endsWith(".cq4")), "the bad message is kept on disk");
    }

    @Test
    @Timeout(60)
    void consumedRollCycles_areDeleted_soDiskStaysBounded() throws Exception {
        Channel<byte[]> ch = space.<byte[]>channelBuilder("rolling").rollCycle(TestRollCycles.TEST_SECONDLY).open();
        Path queueDir = space.directory().resolve("channels/rolling/queue");
        byte[] payload = new byte[1024];
        int maxFiles = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int cycles = 0;
        int lastCycleSeen = -1;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 200; i++) {
                ch.put(payload);
            }
            while (ch.poll() != null) {
                // drain
            }
            int files = countCycleFiles(queueDir);
            maxFiles = Math.max(maxFiles, files);
            int now = (int) (System.currentTimeMillis() / 1000);
            if (now != lastCycleSeen) {
                cycles++;
                lastCycleSeen = now;
            }
            Thread.sleep(20);
        }
        assertTrue(cycles >= 4, "the test pushed several roll cycles through: " + cycles);
        assertTrue(maxFiles <= 3, "consumed cycle files are deleted; at most " + maxFiles + " were on disk");
        assertTrue(countCycleFiles(queueDir) <= 2);
    }

    @Test
    @Timeout(30)
    void take_blockedOnEmptyChannel_usesLittleCpu() throws Exception {
        Channel<String> ch = space.channel("idle");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        AtomicReference<Long> cpu = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                ch.poll(2, TimeUnit.SECONDS);
                cpu.set(mx.getCurrentThreadCpuTime());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long wall = System.nanoTime();
        waiter.start();
        waiter.join();
        wall = System.nanoTime() - wall;
        double percent = 100.0 * cpu.get() / wall;
        // A busy-spinning wait would use ~100 %; the back-off keeps it near 1 % (figure in the benchmark).
        assertTrue(percent < 10, "an idle waiter used " + percent + " % of a core");
    }

    private static int countCycleFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }

    private static Set<Path> listTree(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.collect(java.util.stream.Collectors.toSet());
        }
    }
}
