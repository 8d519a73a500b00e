package io.ipckit.core.internal.channel;

import io.ipckit.core.SpaceFullException;
import io.ipckit.core.test.LeakCheckingTest;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The roll check of {@link DiskGuard}'s clock: room is checked once per cycle, on an appending thread,
 * before Chronicle may start the cycle's file; readers are never refused. (A full tmpfs, end to end:
 * {@code BadInputTest.put_onFullTmpfs_...}.)
 */
@Timeout(30)
class DiskGuardTest extends LeakCheckingTest {
    private static final long CYCLE = 5 * 60_000; // FIVE_MINUTELY

    @TempDir
    Path work;

    @Test
    void appendsCheckRoomOncePerCycle_readersNeverCheck() throws Exception {
        Path dir = Files.createDirectories(work.resolve("queue"));
        AtomicLong now = new AtomicLong(1_000 * CYCLE + 1);
        try (DiskGuard guard = new DiskGuard("roomy", dir, 0)) {
            DiskGuard.Clock clock = guard.clock(RollCycles.FIVE_MINUTELY, now::get);
            clock.epoch(0);

            assertEquals(now.get(), clock.currentTimeMillis());
            assertEquals(0, guard.roomChecks, "a reader's clock read checks nothing");

            assertEquals(now.get(), appending(clock, 100));
            assertEquals(1, guard.roomChecks, "the first append checks room for the cycle's file");
            now.addAndGet(CYCLE - 2); // the last millisecond of the same cycle
            appending(clock, 100);
            assertEquals(1, guard.roomChecks, "a cycle is checked once");

            now.addAndGet(1); // the next cycle
            clock.currentTimeMillis();
            assertEquals(1, guard.roomChecks, "a reader's read of a new cycle checks nothing");
            appending(clock, 100);
            assertEquals(2, guard.roomChecks, "the first append of the new cycle checks room");
            appending(clock, 100);
            assertEquals(2, guard.roomChecks);
        }
    }

    @Test
    void anAppendStartingACycleWithoutRoom_isRefused_readersAreNot() throws Exception {
        Path dir = Files.createDirectories(work.resolve("queue"));
        AtomicLong now = new AtomicLong(5 * CYCLE);
        try (DiskGuard guard = new DiskGuard("cramped", dir, Long.MAX_VALUE / 4)) {
            DiskGuard.Clock clock = guard.clock(RollCycles.FIVE_MINUTELY, now::get);
            clock.epoch(0);
            SpaceFullException e = assertThrows(SpaceFullException.class, () -> appending(clock, 100));
            assertTrue(e.getMessage().contains("channel 'cramped'") && e.getMessage().contains("100-byte"), e.getMessage());
            assertEquals(dir, e.directory());
            assertEquals(now.get(), clock.currentTimeMillis(), "readers still get the time");
            assertThrows(SpaceFullException.class, () -> appending(clock, 100), "refused again: nothing was admitted");
            assertEquals(0, DiskGuard.appending().bytes, "the thread's mark is cleared");
        }
    }

    /** The guard's clock is the queue's: Chronicle's cycle comes from it, with the queue's epoch. */
    @Test
    void aGuardedQueue_readsTimeThroughTheGuard() throws Exception {
        Path dir = work.resolve("guarded");
        try (DiskGuard guard = new DiskGuard("guarded", dir, 0);
             SingleChronicleQueue queue = ChannelFiles.open(dir, RollCycles.FIVE_MINUTELY, 1024, guard)) {
            int reads = guard.roomChecks;
            DiskGuard.Appending mark = DiskGuard.appending();
            mark.bytes = 10;
            try {
                queue.cycle();
            } finally {
                mark.bytes = 0;
            }
            assertEquals(reads + 1, guard.roomChecks);
        }
    }

    private static long appending(DiskGuard.Clock clock, int bytes) {
        DiskGuard.Appending mark = DiskGuard.appending();
        mark.bytes = bytes;
        try {
            return clock.currentTimeMillis();
        } finally {
            mark.bytes = 0;
        }
    }
}
