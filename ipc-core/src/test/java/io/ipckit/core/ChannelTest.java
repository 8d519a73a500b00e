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
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is particular to channels within one JVM (names, capacities, dead letters, roll cycles, idle cost); the
 * blocking-queue contract is {@link ChannelBlockingContractTest}, the multi-process forms ChannelMultiProcessTest.
 */
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
    void channel_afterSpaceClose_throwsChannelClosedException() {
        Space s = Space.create();
        Channel<String> ch = s.channel("a");
        s.close();
        assertTrue(ch.isClosed(), "closing the space closes its channels");
        assertThrows(ChannelClosedException.class, () -> s.channel("b"));
        assertFalse(Files.exists(s.directory()), "a created space is removed on close");
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
