package io.ipckit.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Doubles in {@link SharedMemory} (Python's {@code multiprocessing.Array('d', n)}; {@code Value('d')} is an
 * array of one): every element read and written in place, with no copy and no manager, by any thread of
 * any process that has the array; {@code get}/{@code set} are volatile, {@code getAndSet} and
 * {@code compareAndSet} (which compares the bits) are atomic across processes, and {@code addAndGet} is a
 * compare-and-set loop, atomic too. Serializable: pass it to a task, which attaches on first use.
 * Every element method throws {@code IndexOutOfBoundsException} for an index outside {@code [0, length())}.
 */
public final class SharedDoubleArray extends SharedArray {
    private static final long serialVersionUID = 1L;
    private static final VarHandle DOUBLES = MethodHandles.byteBufferViewVarHandle(double[].class,
            ByteOrder.nativeOrder());

    SharedDoubleArray(SharedMemory memory, int length) {
        super(memory, length);
    }

    /** A new zeroed array of {@code length} doubles in the block {@code name} (see {@link SharedMemory#create(String, int)}). */
    public static SharedDoubleArray create(String name, int length) {
        return SharedMemory.create(name, bytes("double", length, Double.BYTES)).asDoubleArray();
    }

    /** The array in the existing block {@code name}. */
    public static SharedDoubleArray attach(String name) {
        return SharedMemory.attach(name).asDoubleArray();
    }

    public double get(int index) {
        return (double) DOUBLES.getVolatile(buffer(), at(index, Double.BYTES));
    }

    public void set(int index, double value) {
        DOUBLES.setVolatile(buffer(), at(index, Double.BYTES), value);
    }

    public double getAndSet(int index, double value) {
        return (double) DOUBLES.getAndSet(buffer(), at(index, Double.BYTES), value);
    }

    /** Adds {@code delta} atomically (a compare-and-set loop) and returns the new value. */
    public double addAndGet(int index, double delta) {
        int at = at(index, Double.BYTES);
        var buffer = buffer();
        while (true) {
            double current = (double) DOUBLES.getVolatile(buffer, at);
            double next = current + delta;
            if (DOUBLES.compareAndSet(buffer, at, current, next)) {
                return next;
            }
        }
    }

    /** Sets {@code value} when the element's bits equal {@code expected}'s. */
    public boolean compareAndSet(int index, double expected, double value) {
        return DOUBLES.compareAndSet(buffer(), at(index, Double.BYTES), expected, value);
    }

    /** A copy of every element (each read atomically; the whole is not a snapshot). */
    public double[] toArray() {
        double[] out = new double[length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return "SharedDoubleArray[" + memory().name() + ", " + length() + "]";
    }
}
