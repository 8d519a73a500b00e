package io.ipckit.pool.internal.caller;

import io.ipckit.core.Codec;
import io.ipckit.pool.internal.Messages;
import io.ipckit.pool.internal.TaskShape;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A task encoded by the caller at submit: the function and the arguments apart, so that a function
 * without state (a lambda or method reference that captures nothing, a class without instance fields)
 * is encoded once per class here and decoded once per worker there, instead of once per task.
 */
public final class EncodedTask {
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

    final int shape;
    final byte[] fn;
    final byte[] args;

    private EncodedTask(int shape, byte[] fn, byte[] args) {
        this.shape = shape;
        this.fn = fn;
        this.args = args;
    }

    /**
     * Encodes {@code fn} and {@code args} (null for none).
     *
     * @throws io.ipckit.core.SerializationException when either cannot be encoded
     */
    static EncodedTask of(Codec codec, int shape, Object fn, Object[] args) {
        byte[] a = args == null ? null : codec.encode(args);
        Class<?> type = fn.getClass();
        if (codec == Codec.defaults() && STATELESS.get(type)) {
            AtomicReference<byte[]> cached = ENCODED.get(type);
            byte[] f = cached.get();
            if (f == null) {
                f = codec.encode(fn);
                cached.set(f);
            }
            return new EncodedTask(shape | TaskShape.CACHEABLE, f, a);
        }
        return new EncodedTask(shape, codec.encode(fn), a);
    }

    Messages.Task message(long seq) {
        return new Messages.Task(seq, shape, fn, args);
    }
}
