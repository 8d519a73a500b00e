package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.ClusterNode;

import java.time.Duration;

/**
 * Runs one cluster node until it is shut down or the JVM is killed; prints {@value #READY} and the bound
 * {@code host:port} when up. Arguments: {@code ADDRESS [--bind HOST:PORT] [--backups N] [--partitions N]
 * [--member-timeout SECONDS] [--client-timeout MILLIS] [--workers N]}: with workers, the node runs N worker JVMs
 * for the cluster's pools. Exit status 2 for bad arguments, 1 when the node
 * cannot start. SIGTERM stops the node cleanly ({@link ClusterNode#close()}: running tasks finish first).
 */
public final class NodeMain {
    /** The line (prefix) printed once the node is up. */
    public static final String READY = "ipckit-cluster node ready";

    private NodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ClusterNode.Builder b;
        try {
            if (args.length == 0) {
                throw new IllegalArgumentException("usage: NodeMain ADDRESS [--bind HOST:PORT] [--backups N]"
                        + " [--partitions N] [--member-timeout SECONDS] [--client-timeout MILLIS] [--workers N]");
            }
            b = ClusterNode.builder(ClusterAddress.parse(args[0]));
            for (int i = 1; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--bind" -> {
                        int colon = v.lastIndexOf(':');
                        if (colon < 0) {
                            throw new IllegalArgumentException("--bind " + v + ": expected HOST:PORT");
                        }
                        b.bind(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
                    }
                    case "--backups" -> b.backupCount(Integer.parseInt(v));
                    case "--partitions" -> b.partitionCount(Integer.parseInt(v));
                    case "--member-timeout" -> b.memberTimeout(Duration.ofSeconds(Long.parseLong(v)));
                    case "--client-timeout" -> b.clientTimeout(Duration.ofMillis(Long.parseLong(v)));
                    case "--workers" -> b.workers(Integer.parseInt(v));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // SIGTERM (kill, Ctrl-C) stops the node cleanly through its own close(): it takes no more tasks and lets
        // the running ones finish before the member leaves; Hazelcast's hook would leave at once.
        System.setProperty("hazelcast.shutdownhook.enabled", "false");
        long t0 = System.nanoTime();
        ClusterNode node;
        try {
            node = b.start();
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "ipckit-node-stop"));
        System.out.println(READY + " " + node.boundAddress().getHostString() + ":" + node.boundAddress().getPort()
                + " members=" + node.memberCount() + " workers=" + node.workerPids().size() + " startMillis=" + (System.nanoTime() - t0) / 1_000_000);
        System.out.flush();
        node.awaitStopped();
    }
}
