package io.ipckit.core;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that can be sent to another process, typically a task submitted to a child
 * JVM. Declare a lambda or method reference with this type so the compiler makes it serializable
 * and {@link Codec} can encode it; everything it captures must be encodable too.
 *
 * @param <V> the result type
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {
}
