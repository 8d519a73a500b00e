package io.ipckit.core.internal.backend;

/**
 * A second backend's entry point, found with {@link java.util.ServiceLoader} (a module such as
 * ipc-cluster lists its provider in {@code META-INF/services/io.ipckit.core.internal.backend.BackendProvider}).
 * Any thread.
 */
public interface BackendProvider {
    /** Whether {@code address} is of this backend's form (a scheme check; no I/O). */
    boolean accepts(String address);

    /**
     * Connects to the objects at {@code address}, as {@link io.ipckit.core.Manager#connect(String)}.
     *
     * @throws IllegalArgumentException when the address is malformed
     */
    Backend connect(String address);
}
