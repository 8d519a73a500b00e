package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import io.ipckit.core.SerializableBiFunction;
import io.ipckit.core.SerializableCallable;
import io.ipckit.core.SerializableConsumer;
import io.ipckit.core.SerializableFunction;
import io.ipckit.core.SerializableRunnable;
import io.ipckit.core.SerializableSupplier;
import io.ipckit.core.SerializationException;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Kryo's {@link ClosureSerializer} with ipckit's messages: a lambda whose target type is not
 * Serializable is reported with the type to declare instead, and a lambda that cannot be rebuilt
 * on the reading side is reported as a {@link SerializationException}.
 */
final class LambdaSerializer extends Serializer<Object> {

    private static final Map<Class<?>, Class<?>> SERIALIZABLE_VARIANTS = Map.of(
            Runnable.class, SerializableRunnable.class,
            Callable.class, SerializableCallable.class,
            Function.class, SerializableFunction.class,
            BiFunction.class, SerializableBiFunction.class,
            Consumer.class, SerializableConsumer.class,
            Supplier.class, SerializableSupplier.class);

    private final ClosureSerializer delegate;

    private LambdaSerializer(ClosureSerializer delegate) {
        this.delegate = delegate;
    }

    /** The serializer, or one that explains which JVM flag is missing if Kryo's cannot start. */
    static Serializer<Object> create() {
        try {
            return new LambdaSerializer(new ClosureSerializer());
        } catch (RuntimeException e) {
            return new UnsendableSerializer.MissingFlag(ClosureSerializer.Closure.class,
                    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", e);
        }
    }

    @Override
    public void write(Kryo kryo, Output out, Object lambda) {
        if (!(lambda instanceof Serializable)) {
            throw new SerializationException(notSerializableMessage(lambda.getClass()));
        }
        delegate.write(kryo, out, lambda);
    }

    @Override
    public Object read(Kryo kryo, Input in, Class<?> type) {
        try {
            return delegate.read(kryo, in, type);
        } catch (KryoException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("Error reading closure")) {
                throw e; // a problem reading the captured values (e.g. truncated input): reported by the codec
            }
            throw new SerializationException("cannot rebuild a lambda: " + Failures.rootCause(e)
                    + " (does the reading JVM run the same version of the class that defines it?)", e);
        }
    }

    static String notSerializableMessage(Class<?> lambdaClass) {
        Class<?> target = lambdaClass.getInterfaces().length > 0 ? lambdaClass.getInterfaces()[0] : Object.class;
        Class<?> variant = SERIALIZABLE_VARIANTS.get(target);
        String declare = variant != null
                ? "declare it as " + variant.getName()
                : "declare it with a sub-interface of " + target.getName() + " that also extends java.io.Serializable";
        return "cannot encode lambda " + lambdaClass.getName() + ": its target type " + target.getName()
                + " is not Serializable; " + declare + " (or cast to an intersection type (" + target.getSimpleName()
                + " & Serializable))";
    }
}
