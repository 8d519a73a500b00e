package io.ipckit.pool.internal;

import io.ipckit.core.Codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The messages of a pool's two channels, described here and nowhere else. Each is one byte array: a
 * fixed header written and read with plain byte operations, then the payload, encoded once by the codec.
 * So a payload that cannot be decoded (a class missing on the reading side) fails its own task, whose
 * number the header still gives, instead of poisoning the channel; and nothing is encoded twice (the
 * channel's codec only puts its class id and length around the array, and copies it).
 *
 * <pre>
 * offset  size  field
 *      0     1  kind: TASK, STOP (task channel); DONE, FAILED, READY, INIT_FAILED (result channel)
 *      1     1  unused (0)
 *      2     2  TASK: the function's {@link TaskShape} and flags; else 0
 *      4     4  TASK: length F of the encoded function; READY, INIT_FAILED: the worker's slot; else 0
 *      8     8  TASK, DONE, FAILED: the task's number (seq); READY, INIT_FAILED: the worker's pid
 *     16     F  TASK: the function, a codec encoding of its own
 *   16+F   ...  the payload, a codec encoding, or nothing:
 *                 TASK          the arguments, an Object[] (nothing: the function takes none)
 *                 DONE          the results, an Object[] with one per call of the task
 *                 FAILED        a {@link Failure}: the results of the calls before the failing one, and its error
 *                 INIT_FAILED   the Throwable the initializer threw
 *                 STOP, READY   nothing
 * </pre>
 *
 * Integers are little-endian. The caller writes TASK and STOP (a worker that takes STOP exits); workers
 * write the rest. Thread role: stateless helpers for any thread, in the caller and in the workers.
 */
public final class Messages {
    /** Task channel: run a task. */
    public static final byte TASK = 1;
    /** Task channel: the worker that takes it exits. */
    public static final byte STOP = 2;
    /** Result channel: a task completed; the payload holds its results. */
    public static final byte DONE = 3;
    /** Result channel: a task failed; the payload is a {@link Failure}. */
    public static final byte FAILED = 4;
    /** Result channel: the worker in the slot started and ran its initializer. */
    public static final byte READY = 5;
    /** Result channel: the initializer of the worker in the slot threw; the payload is what it threw. */
    public static final byte INIT_FAILED = 6;
    /** Bytes before the function (TASK) or the payload (the others). */
    public static final int HEADER = 16;

    private static final int KIND = 0;
    private static final int SHAPE = 2;
    private static final int LENGTH = 4;
    private static final int SEQ = 8;
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Messages() {
    }

    /** The payload of a {@link #FAILED} message: results of the chunk's items before the failing one, and the error. */
    public record Failure(Object[] partial, Throwable error) {
    }

    /**
     * A TASK message with seq 0 ({@link #withSeq} sets it): the function's encoding {@code fn}, then the
     * first {@code argsLength} bytes of {@code args} (an encoded Object[], or nothing).
     */
    public static byte[] task(int shape, byte[] fn, byte[] args, int argsLength) {
        byte[] m = new byte[HEADER + fn.length + argsLength];
        m[KIND] = TASK;
        SHORTS.set(m, SHAPE, (short) shape);
        INTS.set(m, LENGTH, fn.length);
        System.arraycopy(fn, 0, m, HEADER, fn.length);
        System.arraycopy(args, 0, m, HEADER + fn.length, argsLength);
        return m;
    }

    /** The STOP message. */
    public static byte[] stop() {
        byte[] m = new byte[HEADER];
        m[KIND] = STOP;
        return m;
    }

    /** Sets the task number of a TASK message and returns it. */
    public static byte[] withSeq(byte[] task, long seq) {
        LONGS.set(task, SEQ, seq);
        return task;
    }

    /**
     * A result-channel message: {@code kind}, the worker's {@code slot} (READY, INIT_FAILED; else 0), the
     * task's number or the worker's pid, and the first {@code length} bytes of {@code payload}.
     */
    public static byte[] result(byte kind, int slot, long seqOrPid, byte[] payload, int length) {
        byte[] m = new byte[HEADER + length];
        m[KIND] = kind;
        INTS.set(m, LENGTH, slot);
        LONGS.set(m, SEQ, seqOrPid);
        if (length > 0) {
            System.arraycopy(payload, 0, m, HEADER, length);
        }
        return m;
    }

    /**
     * {@code o} as a message, or null when it is not one of these (a message some other program put on
     * the channel): a byte array at least a header long whose kind is known.
     */
    public static byte[] of(Object o) {
        if (!(o instanceof byte[])) {
            return null;
        }
        byte[] m = (byte[]) o;
        if (m.length < HEADER || m[KIND] < TASK || m[KIND] > INIT_FAILED) {
            return null;
        }
        if (m[KIND] == TASK && (functionLength(m) < 0 || functionLength(m) > m.length - HEADER)) {
            return null;
        }
        return m;
    }

    public static byte kind(byte[] m) {
        return m[KIND];
    }

    /** TASK: the shape and flags ({@link TaskShape}). */
    public static int shape(byte[] m) {
        return (short) SHORTS.get(m, SHAPE) & 0xffff;
    }

    /** TASK, DONE, FAILED: the task's number. */
    public static long seq(byte[] m) {
        return (long) LONGS.get(m, SEQ);
    }

    /** READY, INIT_FAILED: the worker's pid. */
    public static long pid(byte[] m) {
        return (long) LONGS.get(m, SEQ);
    }

    /** READY, INIT_FAILED: the worker's slot. */
    public static int slot(byte[] m) {
        return (int) INTS.get(m, LENGTH);
    }

    /** TASK: length of the function's encoding, at {@link #HEADER}. */
    public static int functionLength(byte[] m) {
        return (int) INTS.get(m, LENGTH);
    }

    /** Where the payload starts. */
    public static int payloadOffset(byte[] m) {
        return m[KIND] == TASK ? HEADER + functionLength(m) : HEADER;
    }

    /** Length of the payload; 0 when there is none. */
    public static int payloadLength(byte[] m) {
        return m.length - payloadOffset(m);
    }

    /**
     * Decodes the payload.
     *
     * @throws io.ipckit.core.SerializationException when it cannot be decoded, or is empty
     */
    public static Object decodePayload(Codec codec, byte[] m) {
        return codec.decode(m, payloadOffset(m), payloadLength(m));
    }
}
