package io.ipckit.core.internal.channel;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * Keeps the messages a consumer took but could not decode, so that a bad message is never silently
 * dropped. Each dead letter is one excerpt of the channel's {@code dead-letter/} Chronicle queue:
 *
 * <pre>
 * offset  size  field
 *      0     8  index    the message's Chronicle index in the channel's queue
 *      8     n  payload  the undecodable payload, byte for byte
 * </pre>
 *
 * Opened on first use. Safe for any thread.
 */
public final class DeadLetters implements AutoCloseable {
    private final Path dir;
    private final RollCycle rollCycle;
    private final int maxMessageBytes;
    private SingleChronicleQueue queue;

    public DeadLetters(Path dir, RollCycle rollCycle, int maxMessageBytes) {
        this.dir = dir;
        this.rollCycle = rollCycle;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Appends a dead letter. */
    public synchronized void add(long index, byte[] payload, int length) {
        if (queue == null) {
            queue = ChannelFiles.open(dir, rollCycle, maxMessageBytes);
        }
        try (ExcerptAppender appender = queue.createAppender();
             DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().writeLong(index).write(payload, 0, length);
        }
    }

    /** Every dead letter, oldest first, as {@code (index, payload)} pairs; empty when there is none. */
    public synchronized java.util.List<java.util.Map.Entry<Long, byte[]>> readAll() {
        java.util.List<java.util.Map.Entry<Long, byte[]>> all = new java.util.ArrayList<>();
        if (queue == null) {
            if (!java.nio.file.Files.isDirectory(dir)) {
                return all;
            }
            queue = ChannelFiles.open(dir, rollCycle, maxMessageBytes);
        }
        try (ExcerptTailer tailer = queue.createTailer()) {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return all;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    long index = bytes.readLong();
                    byte[] payload = new byte[(int) bytes.readRemaining()];
                    bytes.read(payload);
                    all.add(java.util.Map.entry(index, payload));
                }
            }
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public synchronized void close() {
        if (queue != null) {
            queue.close();
        }
    }
}
