package io.ipckit.core.internal.channel;

import io.ipckit.core.internal.Closer;
import io.ipckit.core.internal.PerThread;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The consumer side of a channel: reads every excerpt in order and takes the free ones by a
 * compare-and-set of their claim word ({@link ExcerptLayout}), so competing consumers in any number of
 * processes each take a message exactly once. Each thread reads with its own Chronicle tailer.
 *
 * <p>A reader that found the channel empty does not look at Chronicle again until the channel's
 * {@code appended} counter moves (or 100 ms pass), so an idle consumer costs a volatile read per poll.
 *
 * <p>Reading in order gives the low-water mark: when a tailer has passed index {@code i}, every message
 * up to {@code i} is taken (it took it or saw it taken). The mark is published in {@link ChannelState};
 * new tailers start there, and roll-cycle files below the mark's cycle are deleted.
 */
public final class ChannelClaimer implements AutoCloseable {
    private static final int PUBLISH_EVERY = 256;
    /** An idle reader looks at Chronicle itself at least this often, whatever the counters say. */
    private static final long FULL_SCAN_NANOS = 100_000_000L;
    /** Consecutive empty reads after which a reader counts as idle and watches the counter instead. */
    private static final int IDLE_AFTER_EMPTY_SCANS = 256;
    /**
     * ... and for at least this long: a consumer that merely caught up with its producer keeps reading
     * Chronicle, since reading the producers' counter would pull its cache line from the producer on
     * every poll and slow every append.
     */
    private static final long IDLE_AFTER_NANOS = 1_000_000L;

    private final SingleChronicleQueue queue;
    private final ChannelState state;
    private final RollCycle rollCycle;
    private final int claimerId;
    private final PerThread<Reader> readers;

    private final int maxMessageBytes;

    /** @param maxMessageBytes the codec's limit: a longer excerpt cannot be one ipckit wrote */
    public ChannelClaimer(SingleChronicleQueue queue, ChannelState state, int maxMessageBytes) {
        this.queue = queue;
        this.state = state;
        this.maxMessageBytes = maxMessageBytes;
        this.rollCycle = queue.rollCycle();
        this.claimerId = (int) ProcessHandle.current().pid();
        this.readers = PerThread.tracked(Reader::new);
    }

    /**
     * Takes the next free message. Never blocks.
     *
     * @return the payload (a buffer of this thread, valid until its next call) or null when none is free
     */
    public Payload tryClaim() {
        return readers.get().tryClaim();
    }

    /** Publishes this thread's progress now (for instance before it goes idle). */
    public void publishProgress() {
        readers.get().publish();
    }

    /**
     * Closes the Chronicle tailers of every thread, releasing their mapped files (a tailer left open keeps
     * its cycle file open and mapped after its queue is closed). Only once no thread reads.
     */
    @Override
    public void close() {
        Closer closer = new Closer();
        readers.created().forEach(r -> closer.close(r.tailer));
        readers.release();
        closer.rethrow();
    }

    /** A claimed payload: {@code length} bytes of {@code buffer} from 0, and its Chronicle index. */
    public static final class Payload {
        public byte[] buffer = new byte[256];
        public int length;
        public long index;
    }

    private final class Reader {
        private final ExcerptTailer tailer;
        private final Payload payload = new Payload();
        private long lastRead = -1;
        private long lastPublished = -1;
        private int sincePublish;
        private int emptyScans;
        private long firstEmptyAt;
        private boolean idle;
        private long appendedAtEmptyScan = -1;
        private long emptyScanAt;

        Reader() {
            tailer = queue.createTailer();
            long start = state.lowWater();
            if (start < 0 || !tailer.moveToIndex(start)) {
                tailer.toStart();
            }
        }

        Payload tryClaim() {
            // Cheap idle check: nothing was appended since the last scan found the channel empty.
            // (Only while idle: reading the producers' counter on every message would bounce its cache line.)
            long appended = -1;
            if (idle) {
                appended = state.appended();
                if (appended == appendedAtEmptyScan && System.nanoTime() - emptyScanAt < FULL_SCAN_NANOS) {
                    return null;
                }
            }
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        publish();
                        if (emptyScans++ == 0) {
                            firstEmptyAt = System.nanoTime();
                        }
                        if (emptyScans < IDLE_AFTER_EMPTY_SCANS || System.nanoTime() - firstEmptyAt < IDLE_AFTER_NANOS) {
                            // briefly empty: keep reading Chronicle, leave the producers' counter alone
                            return null;
                        }
                        if (!idle) {
                            idle = true;
                            appended = state.appended(); // read before the next scan, which re-checks Chronicle
                            emptyScanAt = System.nanoTime() - FULL_SCAN_NANOS; // so scan once more before trusting it
                        } else {
                            emptyScanAt = System.nanoTime();
                        }
                        appendedAtEmptyScan = appended;
                        return null;
                    }
                    long index = dc.index();
                    Bytes<?> bytes = dc.wire().bytes();
                    long start = bytes.readPosition();
                    boolean mine = bytes.readRemaining() >= ExcerptLayout.HEADER
                            && ExcerptLayout.claim(bytes, start, claimerId);
                    advance(index);
                    idle = false;
                    emptyScans = 0;
                    if (mine) {
                        state.addTaken(1);
                        long remaining = bytes.readRemaining() - ExcerptLayout.HEADER;
                        if (remaining > maxMessageBytes) {
                            throw new IllegalStateException("the excerpt at index 0x" + Long.toHexString(index)
                                    + " claims " + remaining + " bytes, over the limit of " + maxMessageBytes
                                    + ": its Chronicle header is corrupt");
                        }
                        int n = (int) remaining;
                        if (payload.buffer.length < n) {
                            payload.buffer = new byte[Math.max(n, payload.buffer.length * 2)];
                        }
                        bytes.read(start + ExcerptLayout.HEADER, payload.buffer, 0, n);
                        payload.length = n;
                        payload.index = index;
                        return payload;
                    }
                }
            }
        }

        private void advance(long index) {
            boolean newCycle = lastRead >= 0 && rollCycle.toCycle(index) != rollCycle.toCycle(lastRead);
            lastRead = index;
            if (newCycle || ++sincePublish >= PUBLISH_EVERY) {
                publish();
            }
        }

        void publish() {
            sincePublish = 0;
            if (lastRead <= lastPublished) {
                return;
            }
            lastPublished = lastRead;
            long previous = state.raiseLowWater(lastRead);
            if (previous != Long.MIN_VALUE && previous >= 0) {
                int from = rollCycle.toCycle(previous);
                int to = rollCycle.toCycle(lastRead);
                if (to > from) {
                    ChannelFiles.deleteCyclesBefore(queue, to);
                }
            }
        }
    }
}
