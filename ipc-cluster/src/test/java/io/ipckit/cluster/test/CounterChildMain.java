package io.ipckit.cluster.test;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.ClusterLong;

/** A client JVM that increments cluster long {@code NAME} {@code N} times. Arguments: ADDRESS NAME N. */
public final class CounterChildMain {
    public static void main(String[] args) {
        try (ClusterClient client = ClusterClient.of(ClusterAddress.parse(args[0]))) {
            ClusterLong counter = ClusterLong.create(client.hazelcast(), args[1]);
            int n = Integer.parseInt(args[2]);
            for (int i = 0; i < n; i++) {
                counter.incrementAndGet();
            }
            System.out.println("done");
        }
    }
}
