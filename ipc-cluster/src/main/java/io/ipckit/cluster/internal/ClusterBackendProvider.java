package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.internal.backend.Backend;
import io.ipckit.core.internal.backend.BackendProvider;

/** Makes {@code Manager.connect("ipckit-cluster://...")} reach a cluster. Listed in META-INF/services. */
public final class ClusterBackendProvider implements BackendProvider {
    @Override
    public boolean accepts(String address) {
        return address.startsWith(ClusterAddress.SCHEME);
    }

    @Override
    public Backend connect(String address) {
        return ClusterBackend.connect(address);
    }
}
