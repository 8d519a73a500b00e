package io.ipckit.core.internal.channel;

import io.ipckit.core.Codec;
import io.ipckit.core.MessageTooLargeException;
import io.ipckit.core.SerializationException;
import io.ipckit.core.internal.codec.Failures;
import io.ipckit.core.internal.Closer;
import io.ipckit.core.internal.PerThread;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The producer side of a channel: encodes a value and appends it as one excerpt
 * ({@link ExcerptLayout}). Chronicle serialises appenders of all processes; each thread gets its own
 * Chronicle appender. Bounded channels reserve room in {@link ChannelState} first.
 */
public final class ChannelAppender implements AutoCloseable {
    /** Result of {@link #tryAppend}: appended. */
    public static final int APPENDED = 0;
    /** Result of {@link #tryAppend}: the channel is full. */
    public static final int FULL = 1;

    private final String channel;
    private final SingleChronicleQueue queue;
    private final ChannelState state;
    private final Codec codec;
    private final long capacity;
    private final PerThread<ExcerptAppender> appenders;
    private final DiskGuard disk;

    public ChannelAppender(String channel, SingleChronicleQueue queue, ChannelState state, Codec codec, DiskGuard disk) {
        this.channel = channel;
        this.queue = queue;
        this.state = state;
        this.codec = codec;
        this.capacity = state.capacity();
        this.appenders = PerThread.tracked(queue::createAppender);
        this.disk = disk;
    }

    /**
     * Closes the Chronicle appenders of every thread, releasing their mapped files (an appender left open
     * keeps its cycle file open and mapped after its queue is closed). Only once no thread appends.
     */
    @Override
    public void close() {
        Closer closer = new Closer();
        appenders.created().forEach(closer::close);
        appenders.release();
        closer.rethrow();
    }

    /** Whether appends are checked against a capacity. */
    public boolean bounded() {
        return capacity > 0;
    }

    /**
     * Encodes {@code value} and appends it straight from the codec's buffer: the path of unbounded
     * channels, with no copy. Nothing is written when it cannot be encoded.
     */
    public void appendUnbounded(Object value) {
        try {
            codec.encode(value, (buf, n) -> {
                checkSize(value, n);
                write(buf, n);
                state.addAppended(1);
            });
        } catch (SerializationException e) {
            throw named(e);
        }
    }

    /** Encodes {@code value} into a copy that can wait for room; throws when it cannot be encoded. */
    public Encoded encode(Object value) {
        byte[][] out = new byte[1][];
        int[] len = new int[1];
        try {
            codec.encode(value, (buf, n) -> {
                checkSize(value, n);
                out[0] = java.util.Arrays.copyOf(buf, n);
                len[0] = n;
            });
        } catch (SerializationException e) {
            throw named(e);
        }
        return new Encoded(out[0], len[0]);
    }

    /** The codec's (or the size check's) failure, naming this channel; the original is its cause. */
    private SerializationException named(SerializationException e) {
        return Failures.within(where(), e);
    }

    private String where() {
        return "channel '" + channel + "'";
    }

    private void checkSize(Object value, int n) {
        if (n > codec.maxMessageBytes()) {
            throw new MessageTooLargeException("a " + value.getClass().getName() + " encodes to " + n
                    + " bytes, over the limit of " + codec.maxMessageBytes()
                    + " bytes; raise it with Codec.builder().maxMessageBytes(...)");
        }
    }

    /**
     * Appends one message; {@link DiskGuard} first makes sure the file can hold it.
     *
     * @throws io.ipckit.core.SpaceFullException when it cannot (nothing is appended)
     */
    private void write(byte[] buf, int n) {
        ExcerptAppender appender = appenders.get();
        disk.beforeAppend();
        DiskGuard.Appending mark = DiskGuard.appending();
        mark.bytes = n;
        DocumentContext opened;
        try {
            opened = appender.writingDocument(); // a new cycle file only after the guard's room check
        } finally {
            mark.bytes = 0;
        }
        try (DocumentContext dc = opened) {
            Bytes<?> bytes = dc.wire().bytes();
            long at = bytes.writePosition();
            try {
                disk.ensureBacked(appender.cycle(), appender.currentFile(), at, at + ExcerptLayout.HEADER + n, n);
            } catch (RuntimeException e) {
                dc.rollbackOnClose();
                throw e;
            }
            ExcerptLayout.writeHeader(bytes);
            bytes.write(buf, 0, n);
        }
    }

    /**
     * Appends an encoded value unless the channel is bounded and full. Never blocks.
     *
     * @return {@link #APPENDED} or {@link #FULL}
     */
    public int tryAppend(Encoded encoded) {
        boolean reserved = false;
        if (capacity > 0) {
            if (!state.tryReserve(capacity)) {
                return FULL;
            }
            reserved = true;
        }
        boolean done = false;
        try {
            write(encoded.bytes, encoded.length);
            done = true;
        } finally {
            if (done) {
                state.addAppended(1);
            } else if (reserved) {
                state.unreserve();
            }
        }
        return APPENDED;
    }

    public SingleChronicleQueue queue() {
        return queue;
    }

    /** A value encoded once, appended possibly after waiting for room. */
    public static final class Encoded {
        final byte[] bytes;
        final int length;

        Encoded(byte[] bytes, int length) {
            this.bytes = bytes;
            this.length = length;
        }
    }
}
