package io.ipckit.core;

import io.ipckit.core.internal.channel.ExcerptLayout;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a channel's messages in order without taking any, from {@link ChannelInfo#peek(Codec)}: waiting
 * ones, and taken ones still on disk with the pid that took them. Opens the channel's files read-only,
 * so a consumer never sees a difference; what it reads is a moment's view (a message shown as waiting
 * may be taken the next instant).
 *
 * <p>One thread at a time; it does not block. Close it to release the files' mappings.
 */
public final class ChannelPeek implements AutoCloseable {
    static {
        io.ipckit.core.internal.Bootstrap.beforeChronicle();
    }

    private final Path queueDir;
    private final Codec codec;
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;

    private ChannelPeek(Path queueDir, Codec codec, ChronicleQueue queue, ExcerptTailer tailer) {
        this.queueDir = queueDir;
        this.codec = codec;
        this.queue = queue;
        this.tailer = tailer;
    }

    static ChannelPeek open(Path queueDir, Codec codec, String what) {
        if (!Files.isDirectory(queueDir)) {
            throw new IllegalStateException("the " + what + " is gone (its space was removed)");
        }
        ChronicleQueue q = ChronicleQueue.singleBuilder(queueDir).readOnly(true).build();
        try {
            return new ChannelPeek(queueDir, codec, q, q.createTailer());
        } catch (RuntimeException e) {
            q.close();
            throw e;
        }
    }

    /**
     * Up to {@code max} messages after the last one this reader returned (the oldest on disk at first),
     * taken ones included ({@link Message#isTaken()}); an empty list when there are none yet. Decodes
     * each; one that cannot be decoded is returned with {@link Message#decodeError()}.
     *
     * @throws IllegalArgumentException when {@code max} is less than 1
     * @throws IllegalStateException when the channel's files were removed meanwhile
     */
    public List<Message> next(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        List<Message> out = new ArrayList<>();
        while (out.size() < max) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                Message m = read(dc.wire().bytes());
                if (m != null) {
                    out.add(m);
                }
            }
        }
        if (out.isEmpty() && !Files.isDirectory(queueDir)) {
            throw new IllegalStateException(queueDir + " was removed");
        }
        return out;
    }

    private Message read(Bytes<?> bytes) {
        long start = bytes.readPosition();
        if (bytes.readRemaining() < ExcerptLayout.HEADER) {
            return null;
        }
        int claimant = ExcerptLayout.claimant(bytes, start);
        int n = (int) (bytes.readRemaining() - ExcerptLayout.HEADER);
        byte[] payload = new byte[n];
        bytes.read(start + ExcerptLayout.HEADER, payload, 0, n);
        try {
            return new Message(codec.decode(payload), null, n, claimant);
        } catch (RuntimeException e) {
            return new Message(null, String.valueOf(e.getMessage()), n, claimant);
        }
    }

    /** Releases the files. Idempotent. */
    @Override
    public void close() {
        tailer.close();
        queue.close();
    }

    /** One message as read: its value (or why it could not be decoded) and who took it. Immutable. */
    public static final class Message {
        private final Object value;
        private final String decodeError;
        private final int payloadBytes;
        private final long takerPid;

        Message(Object value, String decodeError, int payloadBytes, long takerPid) {
            this.value = value;
            this.decodeError = decodeError;
            this.payloadBytes = payloadBytes;
            this.takerPid = takerPid;
        }

        /** The decoded value; null when it could not be decoded (or was null). */
        public Object value() {
            return value;
        }

        /** Why the payload could not be decoded, when it could not. */
        public Optional<String> decodeError() {
            return Optional.ofNullable(decodeError);
        }

        /** Size of the encoded value. */
        public int payloadBytes() {
            return payloadBytes;
        }

        /** Whether a consumer took it. */
        public boolean isTaken() {
            return takerPid != ExcerptLayout.FREE;
        }

        /** The pid of the process that took it; 0 while it waits. */
        public long takerPid() {
            return takerPid;
        }

        /** The value as text, or {@code <cannot decode N bytes: why>}. */
        @Override
        public String toString() {
            return decodeError == null ? String.valueOf(value)
                    : "<cannot decode " + payloadBytes + " bytes: " + decodeError + ">";
        }
    }
}
