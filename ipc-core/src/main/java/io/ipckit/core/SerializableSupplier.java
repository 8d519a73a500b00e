package io.ipckit.core;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@link Supplier} that can be sent to another process. Declare a lambda or method reference
 * with this type (instead of {@code Supplier}) so the compiler makes it serializable and
 * {@link Codec} can encode it; everything it captures must be encodable too.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {
}
