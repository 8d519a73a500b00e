package io.ipckit.core;

import java.io.Serializable;

/**
 * A {@link Runnable} that can be sent to another process. Declare a lambda or method reference
 * with this type (instead of {@code Runnable}) so the compiler makes it serializable and
 * {@link Codec} can encode it; everything it captures must be encodable too.
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {
}
