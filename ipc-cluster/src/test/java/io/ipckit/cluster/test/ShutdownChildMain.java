package io.ipckit.cluster.test;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.ClusterQueue;
import io.ipckit.core.Codec;
import io.ipckit.core.QueueShutDownException;

/**
 * A client JVM taking from joinable queue {@code NAME} of ADDRESS. Arguments: ADDRESS NAME MODE. Mode
 * {@code until-shutdown}: prints "ready", then takes with {@code get()} (blocking, no timeout), printing
 * "got:ITEM" and marking each item done except the last one, until {@link QueueShutDownException}; then
 * prints "woken-at-millis:T" (wall clock) and exits 0. Mode {@code hold-one}: takes one item, prints
 * "holding:ITEM" and sleeps until killed.
 */
public final class ShutdownChildMain {
    public static void main(String[] args) throws Exception {
        ClusterAddress address = ClusterAddress.parse(args[0]);
        try (ClusterClient client = ClusterClient.of(address)) {
            ClusterQueue<String> q = ClusterQueue.create(client.hazelcast(), client.sealer(), Codec.defaults(), args[1],
                    0, true);
            if (args[2].equals("hold-one")) {
                System.out.println("holding:" + q.get());
                System.out.flush();
                Thread.sleep(600_000);
                return;
            }
            System.out.println("ready");
            System.out.flush();
            String pending = null;
            try {
                while (true) {
                    String s = q.get();
                    if (pending != null) {
                        q.taskDone();
                    }
                    pending = s;
                    System.out.println("got:" + s);
                    System.out.flush();
                }
            } catch (QueueShutDownException e) {
                System.out.println("woken-at-millis:" + System.currentTimeMillis() + " " + e.getMessage());
                System.out.flush();
            }
        }
    }
}
