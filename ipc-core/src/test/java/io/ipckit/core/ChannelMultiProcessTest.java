package io.ipckit.core;

import io.ipckit.core.test.ChannelConsumerMain;
import io.ipckit.core.test.ChannelProducerMain;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.TakenIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Channels between real JVMs: producers and competing consumers in separate processes. */
class ChannelMultiProcessTest extends LeakCheckingTest {
    private static final int PRODUCERS = 3;
    private static final int CONSUMERS = 3;
    private static final int PER_PRODUCER = Integer.getInteger("ipckit.test.perProducer", 100_000);

    @TempDir
    Path work;

    @Test
    @Timeout(180)
    void threeProducerJvms_threeConsumerJvms_everyMessageTakenExactlyOnceInProducerOrder() throws Exception {
        try (Space space = Space.create(); Children children = new Children(work)) {
            Channel<Long> channel = space.channel("ids");
            List<Process> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                consumers.add(children.start(ChannelConsumerMain.class, space.directory().toString(), "ids",
                        work.resolve("consumer-" + c + ".bin").toString()));
            }
            List<Process> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                producers.add(children.start(ChannelProducerMain.class, space.directory().toString(), "ids",
                        Integer.toString(p + 1), Integer.toString(PER_PRODUCER)));
            }
            for (Process p : producers) {
                assertEquals(0, children.await(p, 150), children.logOf(p));
            }
            for (int c = 0; c < CONSUMERS; c++) {
                channel.put(ChannelConsumerMain.STOP);
            }
            for (Process c : consumers) {
                assertEquals(0, children.await(c, 150), children.logOf(c));
            }

            Set<Long> union = new HashSet<>();
            long total = 0;
            int consumersThatTookSome = 0;
            for (int c = 0; c < CONSUMERS; c++) {
                List<Long> got = TakenIds.read(work.resolve("consumer-" + c + ".bin"));
                consumersThatTookSome += got.isEmpty() ? 0 : 1;
                TakenIds.assertFifoPerProducer(got);
                union.addAll(got);
                total += got.size();
            }
            long expected = (long) PRODUCERS * PER_PRODUCER;
            assertEquals(expected, total, "messages taken, counting duplicates");
            assertEquals(expected, union.size(), "distinct messages taken");
            for (int p = 1; p <= PRODUCERS; p++) {
                assertTrue(union.contains(((long) p << 32) | (PER_PRODUCER - 1)));
            }
            assertTrue(consumersThatTookSome >= 2, "consumers competed: " + consumersThatTookSome + " took some");
            assertEquals(0, channel.size());
        }
    }

    @Test
    @Timeout(120)
    void producerKilledMidStream_othersAppendWithinSeconds_noAcknowledgedMessageLost_everyMessageWhole() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (Space space = Space.create(); Children children = new Children(work)) {
                Channel<byte[]> channel = space.channel("flood");
                Process producer = children.start(io.ipckit.core.test.ChannelFloodMain.class,
                        space.directory().toString(), "flood");
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
                while (channel.size() < 50 + 20 * round && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                new ProcessBuilder("kill", "-9", Long.toString(producer.pid())).start().waitFor();
                producer.waitFor();
                int acknowledged = lastAcknowledged(children.logOf(producer));

                // Chronicle's write lock may be left held by the dead producer: a new append must still get
                // through (Chronicle takes the lock over from the dead pid after ChannelFiles' timeout).
                java.util.concurrent.CompletableFuture<Void> put = java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        channel.put(new byte[] {42});
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                put.get(20, java.util.concurrent.TimeUnit.SECONDS);
                int taken = 0;
                while (true) {
                    byte[] m = channel.poll(20, java.util.concurrent.TimeUnit.SECONDS);
                    assertTrue(m != null, "the message put after the kill arrives");
                    if (m.length == 1) {
                        break;
                    }
                    assertEquals(io.ipckit.core.test.ChannelFloodMain.SIZE, m.length);
                    for (byte b : m) {
                        assertEquals((byte) taken, b, "message " + taken + " is whole");
                    }
                    taken++;
                }
                assertTrue(acknowledged >= 50, "the producer saw its puts return: " + acknowledged);
                assertTrue(taken >= acknowledged, "every message whose put returned before the kill is there: "
                        + taken + " taken, " + acknowledged + " acknowledged");
            }
        }
    }

    /** The last {@code acked N} line of a {@link io.ipckit.core.test.ChannelFloodMain}'s output. */
    private static int lastAcknowledged(String log) {
        int acked = 0;
        for (String line : log.split("\\R")) {
            if (line.startsWith("acked ")) {
                acked = Integer.parseInt(line.substring(6).trim());
            }
        }
        return acked;
    }
}
