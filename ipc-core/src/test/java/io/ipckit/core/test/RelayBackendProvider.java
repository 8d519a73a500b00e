package io.ipckit.core.test;

import io.ipckit.core.internal.backend.Backend;
import io.ipckit.core.internal.backend.BackendProvider;
import io.ipckit.core.internal.local.LocalBackend;

/**
 * A second backend for tests of the seam, found by {@link java.util.ServiceLoader} as ipc-cluster's is:
 * {@code relay://ipckit:<dir>#<token>} reaches the local manager at the inner address. Counts its
 * connections, so a test sees that {@code Manager.connect} went through it.
 */
public final class RelayBackendProvider implements BackendProvider {
    public static final String SCHEME = "relay://";
    public static final java.util.concurrent.atomic.AtomicInteger CONNECTS = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public boolean accepts(String address) {
        return address.startsWith(SCHEME);
    }

    @Override
    public Backend connect(String address) {
        CONNECTS.incrementAndGet();
        return LocalBackend.connect(address.substring(SCHEME.length()));
    }
}
