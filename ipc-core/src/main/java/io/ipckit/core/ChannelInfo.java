package io.ipckit.core;

import io.ipckit.core.internal.Files2;
import io.ipckit.core.internal.SpaceLayout;
import io.ipckit.core.internal.channel.ChannelState;
import io.ipckit.core.internal.manager.ManagerLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One channel of a space, as {@link SpaceInfo#channels()} read it: its counters and disk use at that
 * moment. A manager's shared queue {@code NAME} is its channel {@code q.NAME}; {@link #name()} shows it
 * as {@code NAME} with {@link #isManagerQueue()} true.
 *
 * <p>Immutable snapshot; any thread. {@link #peek(Codec)} reads the channel's messages anew.
 */
public final class ChannelInfo {
    private final Path space;
    private final String directoryName;
    private final boolean hasCounters;
    private final String unreadable;
    private final long capacity;
    private final long appended;
    private final long taken;
    private final long diskBytes;

    private ChannelInfo(Path space, String directoryName, boolean hasCounters, String unreadable, long capacity,
                        long appended, long taken, long diskBytes) {
        this.space = space;
        this.directoryName = directoryName;
        this.hasCounters = hasCounters;
        this.unreadable = unreadable;
        this.capacity = capacity;
        this.appended = appended;
        this.taken = taken;
        this.diskBytes = diskBytes;
    }

    /** Reads the channel in directory {@code channels/<dirName>} of the space. */
    static ChannelInfo read(SpaceLayout layout, String dirName) {
        Path stateFile = layout.channelState(dirName);
        long disk = Files2.sizeOfTree(layout.channelDir(dirName));
        if (!Files.isRegularFile(stateFile)) {
            return new ChannelInfo(layout.root(), dirName, false, null, -1, -1, -1, disk);
        }
        try (ChannelState st = ChannelState.openOrCreate(stateFile, 0)) {
            long taken = st.taken();
            long appended = st.appended();
            return new ChannelInfo(layout.root(), dirName, true, null, st.capacity(), appended, taken, disk);
        } catch (IOException | RuntimeException e) {
            return new ChannelInfo(layout.root(), dirName, false, String.valueOf(e.getMessage()), -1, -1, -1, disk);
        }
    }

    /** The name to use: the queue's name for a manager queue, else the channel's. */
    public String name() {
        return isManagerQueue() ? directoryName.substring(ManagerLayout.QUEUE_PREFIX.length()) : directoryName;
    }

    /** Whether it holds the data of a manager's shared queue ({@link Manager#queue(String)}). */
    public boolean isManagerQueue() {
        return directoryName.startsWith(ManagerLayout.QUEUE_PREFIX);
    }

    /**
     * Whether its counters were read. False while a channel is being created (no state file yet) and when
     * its state file is unreadable ({@link #unreadableReason()}); the counters are then -1.
     */
    public boolean hasCounters() {
        return hasCounters;
    }

    /** Why the state file could not be read, when it exists and could not. */
    public Optional<String> unreadableReason() {
        return Optional.ofNullable(unreadable);
    }

    /** Messages waiting: put and not taken; -1 without counters. */
    public long depth() {
        return hasCounters ? Math.max(0, appended - taken) : -1;
    }

    /** The bound on waiting messages; 0 for an unbounded channel, -1 without counters. */
    public long capacity() {
        return capacity;
    }

    /** Messages ever put (whose append completed); -1 without counters. */
    public long appended() {
        return appended;
    }

    /** Messages ever taken; -1 without counters. */
    public long taken() {
        return taken;
    }

    /**
     * Bytes written in the channel's files (queue, dead letters, state): what they use on disk or, on a
     * tmpfs, in memory. Not their lengths: Chronicle makes each cycle file tens of MiB long at once, sparse,
     * and fills it from the start; the written part ends at the last 4 KiB page holding a byte that is not 0
     * (holes inside it, as in Chronicle's index arrays, count: a little above what {@code du} reports).
     */
    public long diskBytes() {
        return diskBytes;
    }

    /**
     * A reader of the channel's messages from the oldest still on disk, decoded with {@code codec}, that
     * takes none of them. The caller closes it.
     *
     * @throws IllegalStateException when the channel is gone (its space was removed)
     */
    public ChannelPeek peek(Codec codec) {
        return ChannelPeek.open(new SpaceLayout(space).channelQueue(directoryName), Objects.requireNonNull(codec, "codec"),
                (isManagerQueue() ? "queue " : "channel ") + name() + " of " + space);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ChannelInfo)) {
            return false;
        }
        ChannelInfo c = (ChannelInfo) o;
        return c.space.equals(space) && c.directoryName.equals(directoryName) && c.hasCounters == hasCounters
                && Objects.equals(c.unreadable, unreadable) && c.capacity == capacity && c.appended == appended
                && c.taken == taken && c.diskBytes == diskBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(space, directoryName, appended, taken);
    }

    @Override
    public String toString() {
        return "ChannelInfo[" + (isManagerQueue() ? "queue " : "channel ") + name()
                + (hasCounters ? ", depth " + depth() + ", capacity " + capacity + ", put " + appended + ", taken " + taken
                : ", no counters") + ", " + diskBytes + " bytes]";
    }
}
