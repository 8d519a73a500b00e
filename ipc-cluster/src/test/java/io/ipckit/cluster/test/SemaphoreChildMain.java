package io.ipckit.cluster.test;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.ClusterSemaphore;

/**
 * A client JVM that acquires {@code N} permits of bounded semaphore {@code NAME} (of {@code N} permits),
 * prints "acquired" and waits to be killed. Arguments: ADDRESS NAME N.
 */
public final class SemaphoreChildMain {
    public static void main(String[] args) throws Exception {
        ClusterClient client = ClusterClient.of(ClusterAddress.parse(args[0]));
        int n = Integer.parseInt(args[2]);
        ClusterSemaphore s = ClusterSemaphore.create(client.hazelcast(), args[1], n, true);
        s.acquire(n);
        System.out.println("acquired");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
