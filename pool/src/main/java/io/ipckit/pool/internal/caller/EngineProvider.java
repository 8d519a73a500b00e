package io.ipckit.pool.internal.caller;

/**
 * Another engine's entry point, found with {@link java.util.ServiceLoader}, as ipc-core's
 * {@code BackendProvider}: a module such as ipc-cluster lists its provider in
 * {@code META-INF/services/io.ipckit.pool.internal.caller.EngineProvider}, and
 * {@code Pool.Builder.cluster(address)} gives the address to the first provider that accepts it. The pool
 * module depends on no such module. Any thread.
 */
public interface EngineProvider {
    /** Whether {@code address} is of this engine's form (a scheme check; no I/O). Never blocks. */
    boolean accepts(String address);

    /**
     * Starts an engine that runs the pool's tasks at {@code address}, with the settings the builder checked
     * ({@link Config#size()} is the builder's; the engine may report another, its workers'). Blocks while it
     * connects, within a bound the provider states.
     *
     * @throws IllegalArgumentException when the address is malformed (the message never shows its token)
     * @throws IllegalStateException or a provider's own runtime exception when the engine cannot start (its
     *     message says why and within which bound)
     */
    Engine start(String address, Config config);
}
