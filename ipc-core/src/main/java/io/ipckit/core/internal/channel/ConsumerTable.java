package io.ipckit.core.internal.channel;

import io.ipckit.core.internal.MappedFiles;
import io.ipckit.core.internal.ProcessIds;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Who takes from a queue: one slot per consuming process, in a 4 KiB file of the queue's channel
 * directory ({@code consumers}) mapped by every process that takes from it, so that any process can see a
 * consumer that died and what it held. The layout, described here and nowhere else (native byte order;
 * each slot on its own 64-byte cache line, written by its owner only once claimed):
 *
 * <pre>
 * offset      size  field
 *      0         8  magic    "IPCKCON1"
 *      8         4  version  {@value #VERSION}
 *     64 + 64 i     slot i, i &lt; {@value #SLOTS}:
 *       +0       8  pid      owner; 0 = free; -1 = being claimed (readers skip it)
 *       +8       8  start    owner's start time, epoch ms (a reused pid is not the owner)
 *      +16       8  taken    messages the owner took
 *      +24       8  done     taskDone() calls credited to the owner
 * </pre>
 *
 * A process claims a slot on its first take: its own if it already has one, else a free one, else one of a
 * dead process that held nothing (taken == done). Claiming is a compare-and-set of {@code pid} to -1, then
 * the other fields, then {@code pid} with a release store, so no reader mixes an old owner's counts with a
 * new pid. When every slot is live or holds messages of a dead consumer, a new consumer goes untracked
 * ({@link #NO_SLOT}); its takes still work. Safe for any thread of any process.
 */
public final class ConsumerTable implements AutoCloseable {
    /** What {@link #claim()} returns when every slot is in use. */
    public static final int NO_SLOT = -1;
    static final long MAGIC = 0x314E4F434B435049L; // "IPCKCON1" read as a little-endian long
    static final int VERSION = 1;
    static final int SIZE = 4096;
    static final int SLOTS = SIZE / 64 - 1;
    private static final int OFF_MAGIC = 0;
    private static final int OFF_VERSION = 8;
    private static final int PID = 0;
    private static final int START = 8;
    private static final int TAKEN = 16;
    private static final int DONE = 24;
    private static final long CLAIMING = -1;

    private static final VarHandle LONGS = MappedFiles.LONGS;
    private static final VarHandle INTS = MappedFiles.INTS;

    private final Path file;
    private final MappedByteBuffer map;

    /** One consumer as the table shows it. */
    public static final class Entry {
        public final long pid;
        public final boolean alive;
        public final long taken;
        public final long done;

        Entry(long pid, boolean alive, long taken, long done) {
            this.pid = pid;
            this.alive = alive;
            this.taken = taken;
            this.done = done;
        }

        /** Messages it took and did not mark done (never below 0). */
        public long held() {
            return Math.max(0, taken - done);
        }
    }

    private ConsumerTable(Path file, MappedByteBuffer map) {
        this.file = file;
        this.map = map;
    }

    /**
     * Opens the table file, creating it when absent.
     *
     * @throws IOException when it cannot be created or mapped
     * @throws IllegalStateException when the file is not a consumer table of this version
     */
    public static ConsumerTable openOrCreate(Path file) throws IOException {
        MappedByteBuffer map = MappedFiles.createOrMap(file, SIZE, "consumer table", header -> {
            header.putLong(OFF_MAGIC, MAGIC);
            header.putInt(OFF_VERSION, VERSION);
        });
        long magic = (long) LONGS.getVolatile(map, OFF_MAGIC);
        int version = (int) INTS.getVolatile(map, OFF_VERSION);
        if (magic != MAGIC || version != VERSION) {
            throw new IllegalStateException("not an ipckit consumer table (version " + VERSION + "): " + file
                    + " (magic " + Long.toHexString(magic) + ", version " + version + ")");
        }
        return new ConsumerTable(file, map);
    }

    public Path file() {
        return file;
    }

    /** This process's slot, claimed when it has none; {@link #NO_SLOT} when the table is full. */
    public int claim() {
        for (int i = 0; i < SLOTS; i++) {
            if (isMine(i)) {
                return i;
            }
        }
        for (int i = 0; i < SLOTS; i++) {
            if (tryClaim(i, 0L)) {
                return i;
            }
        }
        for (int i = 0; i < SLOTS; i++) {
            long pid = (long) LONGS.getVolatile(map, off(i) + PID);
            if (pid > 0 && held(i) == 0 && !ProcessIds.alive(pid, start(i)) && tryClaim(i, pid)) {
                return i;
            }
        }
        return NO_SLOT;
    }

    /** Counts a message taken by the owner of {@code slot}. */
    public void took(int slot) {
        LONGS.getAndAdd(map, off(slot) + TAKEN, 1L);
    }

    /**
     * Credits one {@code taskDone()} of this process: to its own slot ({@code slot}, maybe
     * {@link #NO_SLOT}) when that holds messages; else to a dead consumer that held some (a process marking
     * done the messages a dead consumer lost); else to its own slot.
     */
    public void creditDone(int slot) {
        if (slot != NO_SLOT && held(slot) > 0) {
            LONGS.getAndAdd(map, off(slot) + DONE, 1L);
            return;
        }
        for (int i = 0; i < SLOTS; i++) {
            long pid = (long) LONGS.getVolatile(map, off(i) + PID);
            if (pid > 0 && i != slot && held(i) > 0 && !ProcessIds.alive(pid, start(i))) {
                LONGS.getAndAdd(map, off(i) + DONE, 1L);
                return;
            }
        }
        if (slot != NO_SLOT) {
            LONGS.getAndAdd(map, off(slot) + DONE, 1L);
        }
    }

    /** Every consumer in the table, in slot order, with its liveness checked now (one look per pid). */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            long pid = (long) LONGS.getVolatile(map, off(i) + PID);
            if (pid > 0) {
                out.add(new Entry(pid, ProcessIds.alive(pid, start(i)), (long) LONGS.getVolatile(map, off(i) + TAKEN),
                        (long) LONGS.getVolatile(map, off(i) + DONE)));
            }
        }
        return out;
    }

    private boolean isMine(int i) {
        return ProcessIds.isMe((long) LONGS.getVolatile(map, off(i) + PID), start(i));
    }

    private boolean tryClaim(int i, long expectedPid) {
        int o = off(i);
        if (!LONGS.compareAndSet(map, o + PID, expectedPid, CLAIMING)) {
            return false;
        }
        LONGS.setVolatile(map, o + START, ProcessIds.MY_START);
        LONGS.setVolatile(map, o + TAKEN, 0L);
        LONGS.setVolatile(map, o + DONE, 0L);
        LONGS.setRelease(map, o + PID, ProcessIds.MY_PID);
        return true;
    }

    private long held(int i) {
        return Math.max(0, (long) LONGS.getVolatile(map, off(i) + TAKEN) - (long) LONGS.getVolatile(map, off(i) + DONE));
    }

    private long start(int i) {
        return (long) LONGS.getVolatile(map, off(i) + START);
    }



    private static int off(int slot) {
        return 64 + 64 * slot;
    }

    @Override
    public void close() {
        // The mapping is released by the garbage collector; nothing else holds resources.
    }
}
