package io.ipckit.core.internal.backend;

import io.ipckit.core.internal.local.LocalBackend;
import io.ipckit.core.internal.manager.ManagerLayout;

import java.util.ServiceLoader;

/** Picks the backend of an address for {@link io.ipckit.core.Manager#connect(String)}. Any thread. */
public final class Backends {
    private Backends() {
    }

    /**
     * The backend of {@code address}: for {@code scheme://...}, the first provider on the class path that
     * accepts it; else the local backend (which explains what is wrong with an address that is not local).
     *
     * @throws IllegalArgumentException when no backend takes the address (the message names its scheme,
     *                                  never its token)
     */
    public static Backend connect(String address) {
        int sep = address.indexOf("://");
        if (sep <= 0) { // a local address, or a malformed one: the local backend says what is wrong with it
            return LocalBackend.connect(address);
        }
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            if (p.accepts(address)) {
                return p.connect(address);
            }
        }
        throw new IllegalArgumentException("no ipckit backend takes addresses of the scheme "
                + address.substring(0, sep + 3) + " (a local manager's address is " + ManagerLayout.ADDRESS_SCHEME
                + "<dir>#<token>); a cluster address, ipckit-cluster://NAME@host:port,...#TOKEN, needs"
                + " io.ipckit:ipc-cluster on the class path");
    }
}
