package io.ipckit.core;

import io.ipckit.core.internal.channel.ChannelFiles;
import io.ipckit.core.internal.channel.ExcerptLayout;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.StressConsumerMain;
import io.ipckit.core.test.StressMessages;
import io.ipckit.core.test.StressProducerMain;
import io.ipckit.core.test.TakenIds;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Channels under load between real JVMs: producers and consumers in processes of their own, messages of
 * random sizes with checksums ({@link StressMessages}), and a consumer killed with {@code kill -9}.
 * The default run is a bounded form; {@code -Dipckit.test.groups=stress} runs the long form, sized by
 * {@code -Dipckit.stress.messages} (default 2,000,000) and {@code -Dipckit.stress.maxPayload} (1 MiB).
 */
class ChannelStressTest extends LeakCheckingTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path work;

    @Test
    @Timeout(240)
    void fourProducersFourConsumers_boundedRun_everyMessageOnceIntactInProducerOrder() throws Exception {
        exchange(4, 4, 4_000, MIB, 240);
    }

    @Test
    @Tag("stress")
    @Timeout(6 * 3600)
    void fourProducersFourConsumers_stressRun_everyMessageOnceIntactInProducerOrder() throws Exception {
        exchange(Integer.getInteger("ipckit.stress.producers", 4), Integer.getInteger("ipckit.stress.consumers", 4),
                Long.getLong("ipckit.stress.messages", 2_000_000L), Integer.getInteger("ipckit.stress.maxPayload", MIB),
                6 * 3600);
    }

    /**
     * {@code producers} JVMs put {@code total} messages with payloads of 1 byte to {@code maxPayload} on a
     * channel rolling every second, {@code consumers} JVMs take them; checks each message arrives exactly
     * once, intact, in its producer's order, and that the channel's disk use stays bounded meanwhile.
     */
    private void exchange(int producers, int consumers, long total, int maxPayload, long seconds) throws Exception {
        long perProducer = total / producers;
        long t0 = System.nanoTime();
        try (Space space = Space.create(); Children children = new Children(work)) {
            Channel<byte[]> channel = space.<byte[]>channelBuilder("stress").rollCycle(TestRollCycles.TEST_SECONDLY).open();
            Path queueDir = space.directory().resolve("channels/stress/queue");
            List<Process> consumerJvms = startConsumers(children, space, "stress", consumers);
            List<Process> producerJvms = startProducers(children, space, "stress", producers, perProducer, maxPayload);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds - 30);
            long maxDisk = 0;
            int maxFiles = 0;
            while (producerJvms.stream().anyMatch(Process::isAlive)) {
                assertTrue(System.nanoTime() < deadline, "producers did not finish in time");
                for (Process c : consumerJvms) {
                    assertTrue(c.isAlive(), "consumer " + c.pid() + " died: " + children.logOf(c));
                }
                maxDisk = Math.max(maxDisk, ChannelFiles.diskUsage(queueDir));
                maxFiles = Math.max(maxFiles, cycleFiles(queueDir));
                Thread.sleep(100);
            }
            for (Process p : producerJvms) {
                assertEquals(0, children.await(p, 10), children.logOf(p));
            }
            for (int c = 0; c < consumers; c++) {
                channel.put(StressMessages.STOP);
            }
            for (Process c : consumerJvms) {
                assertEquals(0, children.await(c, Math.max(60, seconds / 10)), children.logOf(c));
            }

            long expected = perProducer * producers;
            Map<Long, Integer> takenBy = new HashMap<>();
            int consumersThatTookSome = 0;
            for (int c = 0; c < consumers; c++) {
                List<Long> got = TakenIds.read(work.resolve("consumer-" + c + ".bin"));
                consumersThatTookSome += got.isEmpty() ? 0 : 1;
                TakenIds.assertFifoPerProducer(got);
                for (long id : got) {
                    Integer before = takenBy.put(id, c);
                    assertNull(before, "message " + describe(id) + " taken twice, by consumers " + before + " and " + c);
                }
            }
            assertEquals(expected, takenBy.size(), "distinct messages taken");
            for (int p = 1; p <= producers; p++) {
                for (long s = 0; s < perProducer; s++) {
                    assertTrue(takenBy.containsKey(((long) p << 32) | s), "message " + p + "/" + s + " lost");
                }
            }
            assertTrue(consumersThatTookSome >= 2, "consumers competed: " + consumersThatTookSome + " took some");
            assertEquals(0, channel.size());
            // The bound: Chronicle pre-allocates a 64 MiB block per cycle file, and consumed cycles are
            // deleted within about a second; the traffic of a second on this machine is well below 1 GiB.
            assertTrue(maxFiles <= 8, "consumed roll-cycle files are deleted; " + maxFiles + " were on disk at once");
            System.out.printf("ChannelStressTest: %d producers x %d consumers, %,d messages (payload 1 B..%,d B, "
                            + "log-uniform), %.1f s, at most %d cycle files / %,d bytes on disk%n", producers, consumers,
                    expected, maxPayload, (System.nanoTime() - t0) / 1e9, maxFiles, maxDisk);
        }
    }

    @Test
    @Timeout(180)
    void consumerKilledMidStream_othersTakeTheRest_andItLosesExactlyWhatItHadTaken() throws Exception {
        int producers = 2;
        int perProducer = 20_000;
        try (Space space = Space.create(); Children children = new Children(work)) {
            // a daily roll cycle: every file stays, so the claim words can be read afterwards
            Channel<byte[]> channel = space.<byte[]>channelBuilder("work").rollCycle(RollCycles.FAST_DAILY).open();
            List<Process> consumerJvms = startConsumers(children, space, "work", 3);
            List<Process> producerJvms = startProducers(children, space, "work", producers, perProducer, 4096);
            // The victim: the first consumer to take 500 (competing consumers need not share evenly: one
            // that backed off while the channel was empty can find every message taken for a while).
            Process victim = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (victim == null) {
                for (Process c : consumerJvms) {
                    if (victim == null && children.logOf(c).contains("took 500")) {
                        victim = c;
                    }
                }
                assertTrue(victim != null || System.nanoTime() < deadline, "no consumer took 500 messages");
                Thread.sleep(5);
            }
            new ProcessBuilder("kill", "-9", Long.toString(victim.pid())).start().waitFor();
            assertTrue(victim.waitFor(10, TimeUnit.SECONDS));
            for (Process p : producerJvms) {
                assertEquals(0, children.await(p, 120), children.logOf(p));
            }
            channel.put(StressMessages.STOP);
            channel.put(StressMessages.STOP);
            Map<Long, Long> survivorTook = new HashMap<>();
            for (int c = 0; c < 3; c++) {
                Process consumer = consumerJvms.get(c);
                if (consumer == victim) {
                    continue;
                }
                assertEquals(0, children.await(consumer, 120), children.logOf(consumer));
                List<Long> got = TakenIds.read(work.resolve("consumer-" + c + ".bin"));
                TakenIds.assertFifoPerProducer(got);
                for (long id : got) {
                    assertNull(survivorTook.put(id, consumer.pid()), "message " + describe(id) + " taken twice");
                }
            }

            // Every message's claim word names the pid that took it: the survivors' files must hold
            // exactly the messages claimed by them, and the rest must be claimed by the dead consumer.
            long deadPid = victim.pid();
            Map<Long, Long> claimedBy = claims(space.directory().resolve("channels/work/queue"));
            long deadTook = 0;
            for (int p = 1; p <= producers; p++) {
                for (long s = 0; s < perProducer; s++) {
                    long id = ((long) p << 32) | s;
                    Long claimant = claimedBy.get(id);
                    assertTrue(claimant != null, "message " + describe(id) + " was never taken");
                    if (claimant == deadPid) {
                        deadTook++;
                        assertTrue(!survivorTook.containsKey(id), "a message the dead consumer took was delivered again");
                    } else {
                        assertEquals(claimant, survivorTook.get(id), "message " + describe(id) + " claimed by "
                                + claimant + " is in that consumer's output");
                    }
                }
            }
            assertTrue(deadTook >= 500, "the dead consumer had taken " + deadTook);
            assertEquals((long) producers * perProducer, survivorTook.size() + deadTook);
            assertTrue(survivorTook.size() > 0, "the survivors went on");
        }
    }

    /** Starts {@code n} {@link StressConsumerMain}s and waits until all have opened the channel. */
    private List<Process> startConsumers(Children children, Space space, String channel, int n) throws Exception {
        List<Process> consumers = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            consumers.add(children.start(StressConsumerMain.class, space.directory().toString(), channel,
                    work.resolve("consumer-" + c + ".bin").toString()));
        }
        for (Process c : consumers) {
            children.awaitOutput(c, "ready", 120); // all compete from the first message
        }
        return consumers;
    }

    /** Starts {@code n} {@link StressProducerMain}s with ids 1 to n, each putting {@code count} messages. */
    private static List<Process> startProducers(Children children, Space space, String channel, int n, long count,
                                                int maxPayload) throws Exception {
        List<Process> producers = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            producers.add(children.start(StressProducerMain.class, space.directory().toString(), channel,
                    Integer.toString(p + 1), Long.toString(count), Integer.toString(maxPayload)));
        }
        return producers;
    }

    /** Reads a channel's Chronicle files: message id to the pid in its claim word. */
    private static Map<Long, Long> claims(Path queueDir) {
        Map<Long, Long> claims = new HashMap<>();
        try (SingleChronicleQueue q = ChannelFiles.open(queueDir, RollCycles.FAST_DAILY, Codec.DEFAULT_MAX_MESSAGE_BYTES)) {
            ExcerptTailer tailer = q.createTailer();
            Codec codec = Codec.defaults();
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return claims;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    long start = bytes.readPosition();
                    int claimant = ExcerptLayout.claimant(bytes, start);
                    byte[] payload = new byte[(int) (bytes.readRemaining() - ExcerptLayout.HEADER)];
                    bytes.read(start + ExcerptLayout.HEADER, payload, 0, payload.length);
                    byte[] m = (byte[]) codec.decode(payload);
                    if (m.length > 0) {
                        claims.put(StressMessages.verify(m), (long) claimant);
                    }
                }
            }
        }
    }

    private static String describe(long id) {
        return (id >>> 32) + "/" + (id & 0xFFFF_FFFFL);
    }

    private static int cycleFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }
}
