package io.ipckit.core;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * A {@link Consumer} that can be sent to another process. Declare a lambda or method reference
 * with this type (instead of {@code Consumer}) so the compiler makes it serializable and
 * {@link Codec} can encode it; everything it captures must be encodable too.
 *
 * @param <T> the argument type
 */
@FunctionalInterface
public interface SerializableConsumer<T> extends Consumer<T>, Serializable {
}
