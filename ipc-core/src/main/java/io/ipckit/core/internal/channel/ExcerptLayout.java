package io.ipckit.core.internal.channel;

import net.openhft.chronicle.bytes.Bytes;

/**
 * The layout of one message in a channel's Chronicle queue, described here and nowhere else. Each
 * message is one Chronicle document (excerpt), whose Chronicle header carries its length:
 *
 * <pre>
 * offset  size  field
 *      0     4  claim    0 = free; otherwise the pid of the process that took it (set once, by CAS):
 *                          a consumer, or a view that removed it in place ({@link ChannelScanner})
 *      4     n  payload  the value, encoded by the space's {@link io.ipckit.core.Codec}
 * </pre>
 *
 * Every consumer reads every excerpt (Chronicle broadcasts); the compare-and-set of the claim word in
 * the mapped file decides which consumer takes it, so each message is taken exactly once.
 */
public final class ExcerptLayout {
    /** Bytes before the payload. */
    public static final int HEADER = 4;
    /** Claim value of a message nobody has taken. */
    public static final int FREE = 0;

    private ExcerptLayout() {
    }

    /** Writes the header of a new message at the write position. */
    public static void writeHeader(Bytes<?> bytes) {
        bytes.writeInt(FREE);
    }

    /**
     * Tries to take the message whose excerpt starts at {@code start}.
     *
     * @return true when this caller took it, false when another consumer had
     */
    public static boolean claim(Bytes<?> bytes, long start, int claimer) {
        return bytes.compareAndSwapInt(start, FREE, claimer);
    }

    /** The claim word of the excerpt at {@code start}. */
    public static int claimant(Bytes<?> bytes, long start) {
        return bytes.readVolatileInt(start);
    }
}
