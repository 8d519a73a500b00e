package io.ipckit.core;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that can be sent to another process. Declare a lambda or method reference
 * with this type (instead of {@code Function}) so the compiler makes it serializable and
 * {@link Codec} can encode it; everything it captures must be encodable too.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
}
