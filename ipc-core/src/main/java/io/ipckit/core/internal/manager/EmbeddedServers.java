package io.ipckit.core.internal.manager;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The managers running inside this JVM, so that their clients here can tell whether they still run. Shared
 * by both sides: the owner of an embedded manager registers its server ({@code server.ManagerServer}
 * implements {@link Server}), the client side asks {@link #isRunning}. Any thread; never blocks.
 */
public final class EmbeddedServers {
    private static final Map<Path, Server> RUNNING = new ConcurrentHashMap<>();

    /** What the client side may know of a manager server of this JVM. */
    public interface Server {
        /** The manager's space directory. */
        Path directory();

        /** Whether its dispatcher still serves. Any thread. */
        boolean isRunning();
    }

    private EmbeddedServers() {
    }

    public static void add(Server server) {
        RUNNING.put(server.directory().toAbsolutePath(), server);
    }

    public static void remove(Server server) {
        RUNNING.remove(server.directory().toAbsolutePath(), server);
    }

    public static boolean isRunning(Path dir) {
        Server s = RUNNING.get(dir.toAbsolutePath());
        return s != null && s.isRunning();
    }
}
