package io.ipckit.core.internal.codec;

import java.io.Serializable;

/**
 * A handle that travels as a small reference and is made again where it arrives: the codec writes
 * {@link #reference()} in its place, and reading it gives {@link Reference#resolve()}. For handles whose
 * state is of one JVM only (a cluster client's proxies), as Java serialization's {@code writeReplace} /
 * {@code readResolve}; such a handle also implements {@code writeReplace} to give the same reference to
 * Java serialization.
 */
public interface ByReference {
    /** What to send instead of this handle: a small serializable value that {@link Reference#resolve()}s to a twin. */
    Reference reference();

    /** The sent form of a {@link ByReference} handle. */
    interface Reference extends Serializable {
        /** The handle this reference names, in this JVM. May block (to connect), as the handle's first use would. */
        Object resolve();
    }
}
