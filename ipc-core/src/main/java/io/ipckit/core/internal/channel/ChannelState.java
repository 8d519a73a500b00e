package io.ipckit.core.internal.channel;

import io.ipckit.core.internal.MappedFiles;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * A channel's shared counters: a 4 KiB file mapped by every process that opens the channel, updated
 * with atomic operations on the mapping. The layout, described here and nowhere else (native byte
 * order; each hot counter on its own 64-byte cache line):
 *
 * <pre>
 * offset  size  field
 *      0     8  magic        "IPCKCHN1"
 *      8     4  version      layout version, {@value #VERSION}
 *     16     8  capacity     bound on messages appended but not taken; 0 = unbounded
 *     64     8  appended     messages whose append completed
 *    128     8  taken        messages claimed: by a consumer, or in place by a view
 *                            ({@link ChannelScanner}, a queue's remove(Object)...)
 *    192     8  reserved     bounded channels: appends reserved against the capacity
 *    256     8  lowWater     Chronicle index: every excerpt at or below it is claimed; -1 = none yet
 *    320     8  done         joinable queues: messages marked done ({@code taskDone()}); the
 *                            unfinished count is appended - done (0 in files made before this
 *                            field existed, which is its initial value: the version is unchanged)
 *    384     8  shutdown     queues: 0 open, 1 shut down (no more puts; gets end once it is empty),
 *                            2 shut down immediately; only ever raised (0 in older files, as done)
 * </pre>
 *
 * The file is created complete by {@link io.ipckit.core.internal.MappedFiles} (temporary file, then a hard link), so a
 * process never maps a half-written header. Safe for any thread of any process.
 */
public final class ChannelState implements AutoCloseable {
    static final long MAGIC = 0x314E48434B435049L; // "IPCKCHN1" read as a little-endian long
    static final int VERSION = 1;
    static final int SIZE = 4096;
    private static final int OFF_MAGIC = 0;
    private static final int OFF_VERSION = 8;
    private static final int OFF_CAPACITY = 16;
    private static final int OFF_APPENDED = 64;
    private static final int OFF_TAKEN = 128;
    private static final int OFF_RESERVED = 192;
    private static final int OFF_LOW_WATER = 256;
    private static final int OFF_DONE = 320;
    private static final int OFF_SHUTDOWN = 384;

    private static final VarHandle LONGS = MappedFiles.LONGS;
    private static final VarHandle INTS = MappedFiles.INTS;

    private final Path file;
    private final MappedByteBuffer map;

    private ChannelState(Path file, MappedByteBuffer map) {
        this.file = file;
        this.map = map;
    }

    /**
     * Opens the state file, creating it with {@code capacity} when absent.
     *
     * @throws IOException when the file cannot be created or mapped
     * @throws IllegalStateException when the file is not a channel state file of this version
     */
    public static ChannelState openOrCreate(Path file, long capacity) throws IOException {
        MappedByteBuffer map = MappedFiles.createOrMap(file, SIZE, "channel state", header -> {
            header.putLong(OFF_MAGIC, MAGIC);
            header.putInt(OFF_VERSION, VERSION);
            header.putLong(OFF_CAPACITY, capacity);
            header.putLong(OFF_LOW_WATER, -1L);
        });
        long magic = (long) LONGS.getVolatile(map, OFF_MAGIC);
        int version = (int) INTS.getVolatile(map, OFF_VERSION);
        if (magic != MAGIC || version != VERSION) {
            throw new IllegalStateException("not an ipckit channel state file (version " + VERSION + "): " + file
                    + " (magic " + Long.toHexString(magic) + ", version " + version + ")");
        }
        return new ChannelState(file, map);
    }

    public Path file() {
        return file;
    }

    /** The bound fixed when the channel was created; 0 = unbounded. */
    public long capacity() {
        return (long) LONGS.getVolatile(map, OFF_CAPACITY);
    }

    public long appended() {
        return (long) LONGS.getVolatile(map, OFF_APPENDED);
    }

    public long taken() {
        return (long) LONGS.getVolatile(map, OFF_TAKEN);
    }

    public long reserved() {
        return (long) LONGS.getVolatile(map, OFF_RESERVED);
    }

    public long lowWater() {
        return (long) LONGS.getVolatile(map, OFF_LOW_WATER);
    }

    /** Messages marked done by joinable-queue consumers. */
    public long done() {
        return (long) LONGS.getVolatile(map, OFF_DONE);
    }

    /**
     * Marks one message done unless as many are done as were ever put (appended, or already taken: a
     * taken message counts as put even when its producer has not yet raised {@code appended}).
     *
     * @return true when marked, false when every message put is already done
     */
    public boolean tryMarkDone() {
        while (true) {
            long d = done();
            long put = Math.max(appended(), taken());
            if (d >= put) {
                return false;
            }
            if (LONGS.compareAndSet(map, OFF_DONE, d, d + 1)) {
                return true;
            }
        }
    }

    /** The shutdown level: 0 open, 1 shut down, 2 shut down immediately. */
    public long shutdownLevel() {
        return (long) LONGS.getVolatile(map, OFF_SHUTDOWN);
    }

    /** Raises the shutdown level to {@code level} unless it is already at or above it. */
    public void raiseShutdown(long level) {
        while (true) {
            long current = shutdownLevel();
            if (current >= level || LONGS.compareAndSet(map, OFF_SHUTDOWN, current, level)) {
                return;
            }
        }
    }

    public void addAppended(long delta) {
        LONGS.getAndAdd(map, OFF_APPENDED, delta);
    }

    public void addTaken(long delta) {
        LONGS.getAndAdd(map, OFF_TAKEN, delta);
    }

    /** Releases a reservation whose append failed. */
    public void unreserve() {
        LONGS.getAndAdd(map, OFF_RESERVED, -1L);
    }

    /** Reserves room for one message of a bounded channel; false when it is full. */
    public boolean tryReserve(long capacity) {
        while (true) {
            long r = reserved();
            if (r - taken() >= capacity) {
                return false;
            }
            if (LONGS.compareAndSet(map, OFF_RESERVED, r, r + 1)) {
                return true;
            }
        }
    }

    /**
     * Raises the low-water mark to {@code index} unless it is already at or above it.
     *
     * @return the previous value when this call raised it, {@code Long.MIN_VALUE} when it did not
     */
    public long raiseLowWater(long index) {
        while (true) {
            long current = lowWater();
            if (current >= index) {
                return Long.MIN_VALUE;
            }
            if (LONGS.compareAndSet(map, OFF_LOW_WATER, current, index)) {
                return current;
            }
        }
    }

    @Override
    public void close() {
        // The mapping is released by the garbage collector; nothing else holds resources.
    }
}
