package io.ipckit.core;

import io.ipckit.core.internal.MappedFiles;

import java.lang.invoke.VarHandle;

/**
 * Ints in {@link SharedMemory} (Python's {@code multiprocessing.Array('i', n)}; {@code Value('i')} is an
 * array of one): every element read and written in place, with no copy and no manager, by any thread of
 * any process that has the array; {@code get}/{@code set} are volatile, and {@code getAndAdd},
 * {@code addAndGet}, {@code incrementAndGet}, {@code getAndSet} and {@code compareAndSet} are atomic
 * across processes (one CPU instruction each). Serializable: pass it to a task, which attaches on first use.
 * Every element method throws {@code IndexOutOfBoundsException} for an index outside {@code [0, length())}.
 */
public final class SharedIntArray extends SharedArray {
    private static final long serialVersionUID = 1L;
    private static final VarHandle INTS = MappedFiles.INTS;

    SharedIntArray(SharedMemory memory, int length) {
        super(memory, length);
    }

    /** A new zeroed array of {@code length} ints in the block {@code name} (see {@link SharedMemory#create(String, int)}). */
    public static SharedIntArray create(String name, int length) {
        return SharedMemory.create(name, bytes("int", length, Integer.BYTES)).asIntArray();
    }

    /** The array in the existing block {@code name}. */
    public static SharedIntArray attach(String name) {
        return SharedMemory.attach(name).asIntArray();
    }

    public int get(int index) {
        return (int) INTS.getVolatile(buffer(), at(index, Integer.BYTES));
    }

    public void set(int index, int value) {
        INTS.setVolatile(buffer(), at(index, Integer.BYTES), value);
    }

    public int getAndSet(int index, int value) {
        return (int) INTS.getAndSet(buffer(), at(index, Integer.BYTES), value);
    }

    public int getAndAdd(int index, int delta) {
        return (int) INTS.getAndAdd(buffer(), at(index, Integer.BYTES), delta);
    }

    public int addAndGet(int index, int delta) {
        return getAndAdd(index, delta) + delta;
    }

    public int incrementAndGet(int index) {
        return addAndGet(index, 1);
    }

    public boolean compareAndSet(int index, int expected, int value) {
        return INTS.compareAndSet(buffer(), at(index, Integer.BYTES), expected, value);
    }

    /** A copy of every element (each read atomically; the whole is not a snapshot). */
    public int[] toArray() {
        int[] out = new int[length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return "SharedIntArray[" + memory().name() + ", " + length() + "]";
    }
}
