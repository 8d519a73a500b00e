package io.ipckit.pool.internal.caller;

import java.util.ServiceLoader;

/**
 * Picks the engine of a pool: {@link LocalEngine} for a pool of this host, else the first
 * {@link EngineProvider} on the class path that accepts the address, with local workers beside it in a
 * {@link LocalFirstEngine} when the caller asks for some. Any thread.
 */
public final class Engines {
    private Engines() {
    }

    /**
     * Starts the engine of {@code address} (null: a local pool of {@link Config#size()} workers). Blocks
     * while the provider connects.
     *
     * @param localWorkers with an address, worker JVMs of this host to run tasks beside the address's
     *     workers (0: none); the address's engine is reached first, and ended again if they cannot start
     * @throws IllegalArgumentException when no engine on the class path takes the address; the message names
     *     its scheme and the module to add, never its token
     */
    public static Engine start(String address, Config config, int localWorkers) {
        if (address == null) {
            return LocalEngine.start(config);
        }
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader())) {
            if (p.accepts(address)) {
                Engine remote = p.start(address, config);
                if (localWorkers == 0) {
                    return remote;
                }
                try {
                    return new LocalFirstEngine(LocalEngine.start(config.withSize(localWorkers)), remote);
                } catch (RuntimeException | Error e) {
                    remote.terminate();
                    throw e;
                }
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
