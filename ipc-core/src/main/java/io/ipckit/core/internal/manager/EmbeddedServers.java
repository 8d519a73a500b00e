package io.ipckit.core.internal.manager;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The managers running inside this JVM, so that their clients here can tell whether they still run. */
public final class EmbeddedServers {
    private static final Map<Path, ManagerServer> RUNNING = new ConcurrentHashMap<>();

    private EmbeddedServers() {
    }

    public static void add(ManagerServer server) {
        RUNNING.put(server.directory().toAbsolutePath(), server);
    }

    public static void remove(ManagerServer server) {
        RUNNING.remove(server.directory().toAbsolutePath(), server);
    }

    public static boolean isRunning(Path dir) {
        ManagerServer s = RUNNING.get(dir.toAbsolutePath());
        return s != null && s.isRunning();
    }
}
