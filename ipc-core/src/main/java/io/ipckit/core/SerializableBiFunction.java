package io.ipckit.core;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A {@link BiFunction} that can be sent to another process. Declare a lambda or method reference
 * (such as {@code Integer::sum}) with this type so the compiler makes it serializable and
 * {@link Codec} can encode it; everything it captures must be encodable too.
 *
 * @param <T> the first argument type
 * @param <U> the second argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableBiFunction<T, U, R> extends BiFunction<T, U, R>, Serializable {
}
