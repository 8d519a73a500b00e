package io.ipckit.pool.internal.caller;

import java.util.ServiceLoader;

/**
 * Picks the engine of a pool: {@link LocalEngine} for a pool of this host, else the first
 * {@link EngineProvider} on the class path that accepts the address. Any thread.
 */
public final class Engines {
    private Engines() {
    }

    /**
     * Starts the engine of {@code address} (null: a local pool).
     *
     * @throws IllegalArgumentException when no engine on the class path takes the address; the message names
     *     its scheme and the module to add, never its token
     */
    public static Engine start(String address, Config config) {
        if (address == null) {
            return LocalEngine.start(config);
        }
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader())) {
            if (p.accepts(address)) {
                return p.start(address, config);
            }
        }
        throw new IllegalArgumentException("no ipckit pool engine takes the address " + redacted(address)
                + ": a cluster address, ipckit-cluster://NAME@host:port,...#TOKEN, needs io.ipckit:ipc-cluster"
                + " on the class path");
    }

    /** {@code address} without its token (what follows {@code #}), for messages. */
    public static String redacted(String address) {
        int hash = address.indexOf('#');
        String a = hash < 0 ? address : address.substring(0, hash) + "#<token>";
        return a.length() > 200 ? a.substring(0, 200) + "..." : a;
    }
}
