package io.ipckit.cluster.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for members started on one machine (the benchmark's and the tests' clusters on loopback). Any thread.
 */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /**
     * {@code n} distinct ports free now on 127.0.0.1, below Linux's ephemeral range (32768-60999): a port the
     * OS hands out for port 0 can be handed out again, to any outgoing connection, before the member binds it
     * (a fresh-clone CI run once failed with "Port ... is already in use").
     *
     * @throws IOException when closing a probe socket fails
     */
    public static int[] free(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; ) {
                int port = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
                try {
                    ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
                    sockets.add(s); // held until all are found, so the n ports are distinct
                    ports[i++] = port;
                } catch (IOException inUse) {
                    // taken: try another
                }
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
