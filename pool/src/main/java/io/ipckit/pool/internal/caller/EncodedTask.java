package io.ipckit.pool.internal.caller;

import io.ipckit.core.Codec;
import io.ipckit.pool.internal.Messages;
import io.ipckit.pool.internal.TaskShape;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A task encoded by the caller at submit, once: its {@link Messages#TASK} message, whose arguments are
 * encoded straight behind the header (the codec's buffer is copied into the message, no other copy).
 * The function is encoded apart from the arguments, so that a function without state (a lambda or method
 * reference that captures nothing, a class without instance fields) is encoded once per class here and
 * decoded once per worker there, instead of once per task. Thread role: any thread; a task is submitted
 * once (a retry sends it again under the same number).
 */
public final class EncodedTask {
    private static final byte[] NONE = new byte[0];
    private static final ClassValue<Boolean> STATELESS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        return false;
                    }
                }
            }
            return true;
        }
    };
    private static final ClassValue<AtomicReference<byte[]>> ENCODED = new ClassValue<>() {
        @Override
        protected AtomicReference<byte[]> computeValue(Class<?> type) {
            return new AtomicReference<>();
        }
    };

    private final byte[] message;

    private EncodedTask(byte[] message) {
        this.message = message;
    }

    /**
     * Encodes {@code fn} and {@code args} (null for none).
     *
     * @throws io.ipckit.core.SerializationException when either cannot be encoded
     */
    public static EncodedTask of(Codec codec, int shape, Object fn, Object[] args) {
        byte[] f;
        Class<?> type = fn.getClass();
        if (codec == Codec.defaults() && STATELESS.get(type)) {
            AtomicReference<byte[]> cached = ENCODED.get(type);
            f = cached.get();
            if (f == null) {
                f = codec.encode(fn);
                cached.set(f);
            }
            shape |= TaskShape.CACHEABLE;
        } else {
            f = codec.encode(fn);
        }
        if (args == null) {
            return new EncodedTask(Messages.task(shape, f, NONE, 0));
        }
        byte[] function = f;
        int s = shape;
        byte[][] out = new byte[1][];
        codec.encode(args, (buf, n) -> out[0] = Messages.task(s, function, buf, n));
        return new EncodedTask(out[0]);
    }

    /**
     * A task encoded elsewhere, from its {@link Messages#TASK} message as {@link #bytes()} gave it there (an
     * engine that carries tasks to other hosts submits them to a local pool this way, without decoding the
     * function or its arguments). The array is used as is, not copied.
     *
     * @throws IllegalArgumentException when {@code message} is not a well-formed TASK message
     */
    public static EncodedTask ofMessage(byte[] message) {
        byte[] m = Messages.of(message);
        if (m == null || Messages.kind(m) != Messages.TASK) {
            throw new IllegalArgumentException("not an ipckit pool task message ("
                    + (message == null ? "null" : message.length + " bytes") + ")");
        }
        return new EncodedTask(m);
    }

    /**
     * The encoded task, the array itself (not a copy; its task number is whatever it was last submitted
     * under): for an engine that carries it elsewhere, where {@link #ofMessage} takes it back. Do not modify.
     */
    public byte[] bytes() {
        return message;
    }

    /**
     * The message of this task under number {@code seq}: the encoding itself, numbered in place (a task is
     * submitted once; a retry puts it again under the same number).
     */
    byte[] message(long seq) {
        return Messages.withSeq(message, seq);
    }
}
