package io.ipckit.samples.bench;

import io.ipckit.core.internal.Bootstrap;
import io.ipckit.core.Manager;
import io.ipckit.core.SharedQueue;

/**
 * The ponger of the round-trip benchmark: {@code <manager address> <count>} takes from the shared queue
 * "ping" and puts what it took on "pong".
 */
public final class RttChild {
    private RttChild() {
    }

    public static void main(String[] args) throws Exception {
        Bootstrap.beforeChronicle();
        int n = Integer.parseInt(args[1]);
        try (Manager m = Manager.connect(args[0])) {
            SharedQueue<Integer> ping = m.queue("ping");
            SharedQueue<Integer> pong = m.queue("pong");
            for (int i = 0; i < n; i++) {
                pong.put(ping.take());
            }
        }
    }
}
