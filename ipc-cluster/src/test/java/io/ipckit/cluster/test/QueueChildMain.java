package io.ipckit.cluster.test;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.ClusterQueue;
import io.ipckit.core.Codec;

import java.util.concurrent.TimeUnit;

/**
 * A client JVM: takes {@code n} items from queue {@code in} and puts each, prefixed "echo:", on queue
 * {@code out}. Arguments: ADDRESS IN OUT N.
 */
public final class QueueChildMain {
    public static void main(String[] args) throws Exception {
        ClusterAddress address = ClusterAddress.parse(args[0]);
        try (ClusterClient client = ClusterClient.of(address)) {
            ClusterQueue<String> in = ClusterQueue.create(client.hazelcast(), client.sealer(), Codec.defaults(), args[1],
                    0, false);
            ClusterQueue<String> out = ClusterQueue.create(client.hazelcast(), client.sealer(), Codec.defaults(),
                    args[2], 0, false);
            System.out.println("connected");
            int n = Integer.parseInt(args[3]);
            for (int i = 0; i < n; i++) {
                String s = in.get(30, TimeUnit.SECONDS);
                out.put("echo:" + s);
            }
            System.out.println("done");
        }
    }
}
