package io.ipckit.core.internal.channel;

import io.ipckit.core.internal.Closer;
import io.ipckit.core.internal.PerThread;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads the messages of a channel that no consumer has taken, without taking them, and takes chosen
 * ones: the views of a queue ({@code peek}, its iterator, {@code contains}, {@code remove(Object)},
 * {@code removeIf}...). Consumers ({@link ChannelClaimer}) are not involved and not slowed.
 *
 * <p>A message is taken here exactly as a consumer takes it: by the compare-and-set of its claim word
 * ({@link ExcerptLayout}), then {@code taken} is raised in {@link ChannelState} (which frees a bounded
 * channel's slot, as {@code reserved - taken} is the count against its capacity). So it is taken once,
 * whoever races for it in any process, and consumers skip it as they skip every claimed excerpt. Taking
 * from the middle leaves the claimed excerpts no longer a prefix of the channel. The low-water mark
 * stays true: a scan raises it only past the excerpts it read in order from the mark, all of them taken
 * (it deletes no file: consumers do that as they pass).
 *
 * <p>Each thread scans with a Chronicle tailer of its own, kept for its next scan (creating one and moving
 * it to a cycle costs a millisecond or more); a scan started from a visitor of another on the same thread
 * gets a tailer for itself. A scan reads from the channel's low-water mark: it costs a pass over the part
 * of the channel not yet passed by its consumers (claimed excerpts are skipped without copying), plus a
 * copy of each free message it shows the visitor. Any thread; calls do not block and may run at the same
 * time.
 */
public final class ChannelScanner implements AutoCloseable {
    /** Visitor's answer: go on to the next free message. */
    public static final int CONTINUE = 0;
    /** Visitor's answer (a bit): stop the scan after this message. */
    public static final int STOP = 1;
    /**
     * Visitor's answer (a bit): take this message. With {@link #STOP}: stop only when it was taken here
     * (another consumer may have taken it first; the scan then goes on).
     */
    public static final int TAKE = 2;

    private final SingleChronicleQueue queue;
    private final ChannelState state;
    private final int claimerId;
    private final int maxMessageBytes;
    private final PerThread<Tailer> tailers;

    /** @param maxMessageBytes the codec's limit: a longer excerpt cannot be one ipckit wrote */
    public ChannelScanner(SingleChronicleQueue queue, ChannelState state, int maxMessageBytes) {
        this.queue = queue;
        this.state = state;
        this.maxMessageBytes = maxMessageBytes;
        this.claimerId = (int) ProcessHandle.current().pid();
        this.tailers = PerThread.tracked(() -> new Tailer(queue.createTailer()));
    }

    /** Closes the tailers of every thread, releasing their mapped files. Only once no thread scans. */
    @Override
    public void close() {
        Closer closer = new Closer();
        tailers.created().forEach(t -> closer.close(t.tailer));
        tailers.release();
        closer.rethrow();
    }

    /** A thread's tailer, and whether a scan of that thread is using it. */
    private static final class Tailer {
        final ExcerptTailer tailer;
        boolean busy;

        Tailer(ExcerptTailer tailer) {
            this.tailer = tailer;
        }
    }

    /** This thread's tailer, or a new one (closed by {@link #release}) when a scan of this thread uses it. */
    private Tailer acquire() {
        Tailer t = tailers.get();
        if (t.busy) {
            t = new Tailer(queue.createTailer());
        }
        t.busy = true;
        return t;
    }

    private void release(Tailer t) {
        t.busy = false;
        if (t != tailers.get()) {
            t.tailer.close();
        }
    }

    /** Sees the free messages of a scan, one at a time, in channel order. */
    public interface Visitor {
        /**
         * @param payload the message's encoded bytes, {@code length} of them from 0 (a buffer reused for
         *                the next message)
         * @return {@link #CONTINUE}, or a combination of {@link #STOP} and {@link #TAKE}
         */
        int visit(long index, byte[] payload, int length);
    }

    /**
     * Shows {@code visitor} each message not taken whose Chronicle index is above {@code after} ({@code -1}:
     * from the first), in channel order, until it asks to stop or the end of the channel is reached.
     * Weakly consistent: a message taken by a consumer during the scan may still be shown, one appended
     * during it may or may not be.
     *
     * @return how many messages this scan took
     * @throws IllegalStateException when an excerpt is longer than any message ipckit writes (a damaged file)
     */
    public int scan(long after, Visitor visitor) {
        int took = 0;
        byte[] buf = new byte[256];
        // While every excerpt read so far is taken, and the scan started at the low-water mark, the mark may
        // be raised past them: so messages taken in place stop costing later scans and new consumers.
        long low = state.lowWater();
        boolean prefix = after <= low;
        long claimedPrefix = -1;
        Tailer t = acquire();
        try {
            ExcerptTailer tailer = t.tailer;
            position(tailer, after, low);
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return took;
                    }
                    long index = dc.index();
                    Bytes<?> bytes = dc.wire().bytes();
                    long start = bytes.readPosition();
                    if (index <= after || bytes.readRemaining() < ExcerptLayout.HEADER
                            || ExcerptLayout.claimant(bytes, start) != ExcerptLayout.FREE) {
                        if (prefix) {
                            claimedPrefix = index;
                        }
                        continue;
                    }
                    int n = payloadLength(bytes, index);
                    if (buf.length < n) {
                        buf = new byte[Math.max(n, buf.length * 2)];
                    }
                    bytes.read(start + ExcerptLayout.HEADER, buf, 0, n);
                    int answer = visitor.visit(index, buf, n);
                    boolean taken = (answer & TAKE) != 0 && claim(bytes, start);
                    if (taken) {
                        took++;
                    }
                    if (prefix && (taken || ExcerptLayout.claimant(bytes, start) != ExcerptLayout.FREE)) {
                        claimedPrefix = index;
                    } else {
                        prefix = false;
                    }
                    if ((answer & STOP) != 0 && ((answer & TAKE) == 0 || taken)) {
                        return took;
                    }
                }
            }
        } finally {
            release(t);
            if (claimedPrefix > low) {
                state.raiseLowWater(claimedPrefix); // files are deleted by the consumers that pass them
            }
        }
    }

    /**
     * Takes the message at Chronicle index {@code index} when no one has taken it yet.
     *
     * @return true when this call took it; false when it was taken already (by anyone) or is not there
     */
    public boolean take(long index) {
        Tailer t = acquire();
        try {
            ExcerptTailer tailer = t.tailer;
            if (!tailer.moveToIndex(index)) {
                return false; // its roll-cycle file was deleted: every consumer had passed it
            }
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent() || dc.index() != index) {
                    return false;
                }
                Bytes<?> bytes = dc.wire().bytes();
                return bytes.readRemaining() >= ExcerptLayout.HEADER && claim(bytes, bytes.readPosition());
            }
        } finally {
            release(t);
        }
    }

    private boolean claim(Bytes<?> bytes, long start) {
        if (!ExcerptLayout.claim(bytes, start, claimerId)) {
            return false;
        }
        state.addTaken(1);
        return true;
    }

    private int payloadLength(Bytes<?> bytes, long index) {
        long n = bytes.readRemaining() - ExcerptLayout.HEADER;
        if (n > maxMessageBytes) {
            throw new IllegalStateException("the excerpt at index 0x" + Long.toHexString(index) + " claims " + n
                    + " bytes, over the limit of " + maxMessageBytes + ": its Chronicle header is corrupt");
        }
        return (int) n;
    }

    /** Before the first message above {@code after}, or as near as the files still allow. */
    private static void position(ExcerptTailer tailer, long after, long low) {
        long from = Math.max(after, low);
        if (from >= 0 && tailer.moveToIndex(from)) {
            return;
        }
        if (low >= 0 && low != from && tailer.moveToIndex(low)) {
            return;
        }
        tailer.toStart();
    }
}
