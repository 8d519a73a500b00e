package io.ipckit.cluster.internal.pool;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.pool.internal.caller.Config;
import io.ipckit.pool.internal.caller.Engine;
import io.ipckit.pool.internal.caller.EngineProvider;

/**
 * The pool's engine for {@code ipckit-cluster://} addresses, found by the pool module's
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.ipckit.pool.internal.caller.EngineProvider}).
 * Any thread.
 */
public final class ClusterEngineProvider implements EngineProvider {
    /** Whether {@code address} starts with {@value ClusterAddress#SCHEME}. No I/O. */
    @Override
    public boolean accepts(String address) {
        return address.startsWith(ClusterAddress.SCHEME);
    }

    /**
     * Connects this JVM's client of the address (at most {@link ClusterClient#connectTimeout()}) and starts a
     * {@link ClusterEngine}.
     *
     * @throws IllegalArgumentException when the address is malformed (never showing its token)
     * @throws io.ipckit.cluster.ClusterException when the cluster does not answer within the bound
     */
    @Override
    public Engine start(String address, Config config) {
        ClusterClient client = ClusterClient.acquire(ClusterAddress.parse(address));
        try {
            return ClusterEngine.start(client, config);
        } catch (RuntimeException | Error e) {
            client.release();
            throw e;
        }
    }
}
