package io.ipckit.core.internal.manager;

import io.ipckit.core.internal.MappedFiles;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The {@value ManagerLayout#VALUES_FILE} file of a manager's space: the values of its shared longs, one
 * per slot, mapped by every process that uses one and updated there with atomic operations (no call to
 * the manager per operation). The layout, described here and nowhere else (native byte order):
 *
 * <pre>
 * offset        size  field
 *      0           8  magic    "IPCKVAL1"
 *      8           4  version  layout version, {@value #VERSION}
 *     12           4  slots    number of slots, {@value #SLOTS}
 *     64          64  slot 0   the value of one shared long: 8 bytes, then 56 bytes of padding, so
 *    128          64  slot 1   each long has its own cache line (no false sharing between longs)
 *    ...
 *  65472          64  slot 1022
 *  65536                       end: the file is {@value #SIZE} bytes
 * </pre>
 *
 * The manager creates the file complete (a temporary file, then hard-linked into place) on the first
 * shared long, allocates slot {@code i} to the {@code i}-th long created, writes its initial 0 and
 * returns the slot to the client in the {@code CREATE} reply. Slots are never freed. Safe for any thread
 * of any process.
 */
public final class ValueSlots {
    static final long MAGIC = 0x314C41564B435049L; // "IPCKVAL1" read as a little-endian long
    static final int VERSION = 1;
    /** Size of the file. */
    public static final int SIZE = 64 * 1024;
    /** Bytes before slot 0. */
    static final int HEADER = 64;
    /** Bytes per slot: one cache line. */
    static final int SLOT_BYTES = 64;
    /** How many shared longs one manager holds. */
    public static final int SLOTS = (SIZE - HEADER) / SLOT_BYTES;
    private static final int OFF_MAGIC = 0;
    private static final int OFF_VERSION = 8;
    private static final int OFF_SLOTS = 12;

    private static final VarHandle LONGS = MappedFiles.LONGS;
    private static final VarHandle INTS = MappedFiles.INTS;

    private final Path file;
    private final MappedByteBuffer map;

    private ValueSlots(Path file, MappedByteBuffer map) {
        this.file = file;
        this.map = map;
    }

    /** The file in the space {@code spaceDir}. */
    public static Path fileIn(Path spaceDir) {
        return spaceDir.resolve(ManagerLayout.VALUES_FILE);
    }

    /**
     * Maps the file, creating it when absent (the manager).
     *
     * @throws IOException when it cannot be created or mapped
     * @throws IllegalStateException when it is not a values file of this version
     */
    public static ValueSlots openOrCreate(Path file) throws IOException {
        return check(file, MappedFiles.createOrMap(file, SIZE, "values file", header -> {
            header.putLong(OFF_MAGIC, MAGIC);
            header.putInt(OFF_VERSION, VERSION);
            header.putInt(OFF_SLOTS, SLOTS);
        }));
    }

    /**
     * Maps the existing file (a process using a shared long).
     *
     * @throws java.nio.file.NoSuchFileException when there is none
     * @throws IOException when it cannot be mapped
     * @throws IllegalStateException when it is not a values file of this version
     */
    public static ValueSlots open(Path file) throws IOException {
        return check(file, MappedFiles.map(file, SIZE, "values file"));
    }

    private static ValueSlots check(Path file, MappedByteBuffer map) {
        long magic = (long) LONGS.getVolatile(map, OFF_MAGIC);
        int version = (int) INTS.getVolatile(map, OFF_VERSION);
        int slots = (int) INTS.getVolatile(map, OFF_SLOTS);
        if (magic != MAGIC || version != VERSION || slots != SLOTS) {
            throw new IllegalStateException("not an ipckit values file (version " + VERSION + ", " + SLOTS
                    + " slots): " + file + " (magic " + Long.toHexString(magic) + ", version " + version + ", "
                    + slots + " slots)");
        }
        return new ValueSlots(file, map);
    }

    public Path file() {
        return file;
    }

    private static int offset(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IndexOutOfBoundsException("value slot " + slot + " out of 0.." + (SLOTS - 1));
        }
        return HEADER + slot * SLOT_BYTES;
    }

    public long get(int slot) {
        return (long) LONGS.getVolatile(map, offset(slot));
    }

    public void set(int slot, long value) {
        LONGS.setVolatile(map, offset(slot), value);
    }

    public long getAndAdd(int slot, long delta) {
        return (long) LONGS.getAndAdd(map, offset(slot), delta);
    }

    public long getAndSet(int slot, long value) {
        return (long) LONGS.getAndSet(map, offset(slot), value);
    }

    public boolean compareAndSet(int slot, long expect, long update) {
        return LONGS.compareAndSet(map, offset(slot), expect, update);
    }
}
