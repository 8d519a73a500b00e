package io.ipckit.cluster.test;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.ClusterLock;

/** A client JVM that takes lock {@code NAME}, prints "locked" and waits to be killed. Arguments: ADDRESS NAME. */
public final class LockChildMain {
    public static void main(String[] args) throws Exception {
        ClusterClient client = ClusterClient.of(ClusterAddress.parse(args[0]));
        ClusterLock lock = ClusterLock.create(client.hazelcast(), args[1]);
        lock.lock();
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
