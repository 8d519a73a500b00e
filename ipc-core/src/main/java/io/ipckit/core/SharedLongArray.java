package io.ipckit.core;

import io.ipckit.core.internal.MappedFiles;

import java.lang.invoke.VarHandle;

/**
 * Longs in {@link SharedMemory} (Python's {@code multiprocessing.Array('q', n)}; {@code Value('q')} is an
 * array of one): every element read and written in place, with no copy and no manager, by any thread of
 * any process that has the array; {@code get}/{@code set} are volatile, and {@code getAndAdd},
 * {@code addAndGet}, {@code incrementAndGet}, {@code getAndSet} and {@code compareAndSet} are atomic
 * across processes (one CPU instruction each). Serializable: pass it to a task, which attaches on first use.
 * Every element method throws {@code IndexOutOfBoundsException} for an index outside {@code [0, length())}.
 */
public final class SharedLongArray extends SharedArray {
    private static final long serialVersionUID = 1L;
    private static final VarHandle LONGS = MappedFiles.LONGS;

    SharedLongArray(SharedMemory memory, int length) {
        super(memory, length);
    }

    /** A new zeroed array of {@code length} longs in the block {@code name} (see {@link SharedMemory#create(String, int)}). */
    public static SharedLongArray create(String name, int length) {
        return SharedMemory.create(name, bytes("long", length, Long.BYTES)).asLongArray();
    }

    /** The array in the existing block {@code name}. */
    public static SharedLongArray attach(String name) {
        return SharedMemory.attach(name).asLongArray();
    }

    public long get(int index) {
        return (long) LONGS.getVolatile(buffer(), at(index, Long.BYTES));
    }

    public void set(int index, long value) {
        LONGS.setVolatile(buffer(), at(index, Long.BYTES), value);
    }

    public long getAndSet(int index, long value) {
        return (long) LONGS.getAndSet(buffer(), at(index, Long.BYTES), value);
    }

    public long getAndAdd(int index, long delta) {
        return (long) LONGS.getAndAdd(buffer(), at(index, Long.BYTES), delta);
    }

    public long addAndGet(int index, long delta) {
        return getAndAdd(index, delta) + delta;
    }

    public long incrementAndGet(int index) {
        return addAndGet(index, 1L);
    }

    public boolean compareAndSet(int index, long expected, long value) {
        return LONGS.compareAndSet(buffer(), at(index, Long.BYTES), expected, value);
    }

    /** A copy of every element (each read atomically; the whole is not a snapshot). */
    public long[] toArray() {
        long[] out = new long[length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return "SharedLongArray[" + memory().name() + ", " + length() + "]";
    }
}
