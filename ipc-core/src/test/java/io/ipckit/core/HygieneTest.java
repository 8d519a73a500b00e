package io.ipckit.core;

import io.ipckit.core.internal.channel.ChannelFiles;
import io.ipckit.core.test.LeakCheckingTest;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hygiene over time: many operations on channels, a manager's queue and map, with handles and
 * connections opened and closed along the way, leave this JVM's open file descriptors, threads and
 * mapped files flat, and a channel that rolls every second keeps only a few files on disk. The default
 * run does 100,000 operations; {@code -Dipckit.test.groups=stress} does {@code -Dipckit.stress.operations}
 * (default 1,000,000).
 */
class HygieneTest extends LeakCheckingTest {
    @Test
    @Timeout(180)
    void manyOperations_boundedRun_descriptorsThreadsMappingsAndDiskStayFlat() throws Exception {
        churn(100_000);
    }

    @Test
    @Tag("stress")
    @Timeout(3600)
    void manyOperations_stressRun_descriptorsThreadsMappingsAndDiskStayFlat() throws Exception {
        churn(Integer.getInteger("ipckit.stress.operations", 1_000_000));
    }

    /**
     * {@code operations} operations, each one of: a put and a take on a channel rolling every second, a
     * put and a take on a manager queue, a put and a get on a manager map; every 1,000 a channel handle
     * opened in a new space handle, used and closed; every 10,000 a new connection to the manager.
     */
    private void churn(int operations) throws Exception {
        int warmUp = Math.max(10_000, operations / 10);
        byte[] payload = new byte[512];
        try (Space space = Space.create(); Manager manager = Manager.start()) {
            Channel<byte[]> channel = space.<byte[]>channelBuilder("roll").rollCycle(TestRollCycles.TEST_SECONDLY).open();
            Path queueDir = space.directory().resolve("channels/roll/queue");
            SharedQueue<Integer> queue = manager.queue("q");
            SharedMap<Integer, Integer> map = manager.map("m");
            Resources before = null;
            int maxFiles = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < warmUp + operations; i++) {
                if (i == warmUp) {
                    before = Resources.now(space.directory(), manager.directory());
                }
                switch (i % 3) {
                    case 0:
                        channel.put(payload);
                        assertEquals(payload.length, channel.take().length);
                        break;
                    case 1:
                        queue.put(i);
                        assertEquals(i, queue.take());
                        break;
                    default:
                        map.put(i % 1_000, i);
                        assertEquals(i, map.get(i % 1_000));
                        break;
                }
                if (i % 1_000 == 999) {
                    try (Space other = Space.open(space.directory())) {
                        Channel<byte[]> c = other.channel("roll");
                        c.put(payload);
                        assertEquals(payload.length, channel.take().length);
                    }
                    maxFiles = Math.max(maxFiles, cycleFiles(queueDir));
                }
                if (i % 10_000 == 9_999) {
                    try (Manager client = Manager.connect(manager.address())) {
                        assertEquals(map.get(i % 1_000), client.<Integer, Integer>map("m").get(i % 1_000));
                    }
                }
            }
            Resources after = Resources.now(space.directory(), manager.directory());
            double seconds = (System.nanoTime() - t0) / 1e9;
            String report = String.format("HygieneTest: %,d operations in %.1f s; before %s, after %s; at most %d "
                    + "cycle files of the 1 s channel", operations, seconds, before, after, maxFiles);
            System.out.println(report);
            assertTrue(after.fds <= before.fds + 6, report);
            assertTrue(after.threads <= before.threads + 2, report);
            assertTrue(after.mappings <= before.mappings + 8, report);
            assertTrue(maxFiles <= 4, "consumed cycle files are deleted: " + report);
            assertTrue(ChannelFiles.diskUsage(queueDir) < 1L << 30, report);
        }
    }

    private static int cycleFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }

    /** Open descriptors, live threads, and mappings of files in the given directories, of this JVM. */
    private static final class Resources {
        final long fds;
        final int threads;
        final long mappings;

        private Resources(long fds, int threads, long mappings) {
            this.fds = fds;
            this.threads = threads;
            this.mappings = mappings;
        }

        static Resources now(Path... dirs) throws Exception {
            // A channel's state file is unmapped when the GC collects it (its cleaner runs after the GC),
            // and Chronicle unmaps released files on its background releaser thread: let both catch up.
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
            }
            net.openhft.chronicle.core.io.BackgroundResourceReleaser.releasePendingResources();
            long fds;
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                fds = s.count();
            }
            long mappings;
            try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
                mappings = lines.filter(l -> Stream.of(dirs).anyMatch(d -> l.contains(d.toString()))).count();
            }
            return new Resources(fds, ManagementFactory.getThreadMXBean().getThreadCount(), mappings);
        }

        @Override
        public String toString() {
            return fds + " fds, " + threads + " threads, " + mappings + " mappings";
        }
    }
}
