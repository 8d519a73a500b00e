package io.ipckit.core.test;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ids {@code producer << 32 | seq} a consumer JVM took, as {@link ChannelConsumerMain} and
 * {@link StressConsumerMain} write them: one file of longs per consumer, in the order taken.
 */
public final class TakenIds {
    private TakenIds() {
    }

    /** The ids in {@code file}, in order. */
    public static List<Long> read(Path file) throws IOException {
        List<Long> ids = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            while (true) {
                ids.add(in.readLong());
            }
        } catch (EOFException end) {
            return ids;
        }
    }

    /** Fails unless, for each producer, its sequence numbers appear in increasing order. */
    public static void assertFifoPerProducer(List<Long> ids) {
        Map<Long, Long> lastSeq = new HashMap<>();
        for (long id : ids) {
            long producer = id >>> 32;
            long seq = id & 0xFFFF_FFFFL;
            Long last = lastSeq.put(producer, seq);
            assertTrue(last == null || last < seq, "FIFO per producer broken at producer " + producer + ": "
                    + last + " then " + seq);
        }
    }
}
