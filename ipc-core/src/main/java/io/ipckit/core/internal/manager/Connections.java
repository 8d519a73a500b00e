package io.ipckit.core.internal.manager;

import io.ipckit.core.internal.manager.client.ManagerClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This process's connections to managers, by address: handles that arrive from other processes connect
 * on first use and share one connection per manager. Connections left open are closed at JVM exit.
 *
 * <p>Client side (it belongs with {@code client}; it stays here while the pool module, which calls
 * {@link #leaveOpenAtExit()}, is reshaped). Any thread of the client process; {@link #get} may block while it
 * connects.
 */
public final class Connections {
    private static final Map<String, ManagerClient> CLIENTS = new ConcurrentHashMap<>();
    private static volatile boolean closeAtExit = true;

    static {
        Thread hook = new Thread(Connections::closeAll, "ipckit-connections-close");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private Connections() {
    }

    /** The open connection to {@code address}, connecting when there is none. */
    public static ManagerClient get(String address) {
        ManagerClient c = CLIENTS.get(address);
        if (c != null && !c.isClosed()) {
            return c;
        }
        synchronized (Connections.class) {
            c = CLIENTS.get(address);
            if (c == null || c.isClosed()) {
                c = ManagerClient.connect(address);
                CLIENTS.put(address, c);
            }
            return c;
        }
    }

    /**
     * Makes {@code client} (a Manager object's own) the connection of its address, unless one is open
     * already: replacing it would let handles of that manager, once {@code client} is closed, open a
     * connection of their own that nothing closes (one leaked connection per connect/close).
     */
    public static void put(ManagerClient client) {
        CLIENTS.compute(client.address(), (address, old) -> old != null && !old.isClosed() ? old : client);
    }

    /**
     * Leaves this JVM's manager connections open at exit. For a pool worker: closing them in a shutdown
     * hook (a {@code kill PID}, say) would fail the task it is running as if the task itself had failed;
     * left open, the task dies with its JVM and is reported as the crash it is, and the manager notices
     * the dead client anyway (its locks are released within 200 ms). Any thread.
     */
    public static void leaveOpenAtExit() {
        closeAtExit = false;
    }

    /** Forgets the connection of {@code address} when it is {@code client}. */
    public static void remove(ManagerClient client) {
        CLIENTS.remove(client.address(), client);
    }

    private static void closeAll() {
        if (!closeAtExit) {
            return;
        }
        for (ManagerClient c : CLIENTS.values()) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // exiting anyway
            }
        }
    }
}
