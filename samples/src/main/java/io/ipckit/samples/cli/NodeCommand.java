package io.ipckit.samples.cli;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.ClusterNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code ipckit node --cluster ADDRESS}: runs this host's member of an ipckit cluster (a Hazelcast member
 * holding a share of the cluster's objects) until it is stopped; see {@link io.ipckit.cluster.ClusterNode}.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Runs this host's node of an ipckit cluster until stopped (Ctrl-C or kill PID: it leaves "
                + "the cluster cleanly, its data moving to the other nodes first).",
                "  ipckit cluster-address demo 10.0.0.1:5701,10.0.0.2:5701 > cluster.address",
                "  ipckit node --cluster \"$(cat cluster.address)\" --workers 4   # on each host",
                "With --workers, run it with your tasks' classes on the class path:",
                "  java -cp ipckit-cli.jar:app.jar io.ipckit.samples.cli.IpckitCli node --cluster ... --workers 4"})
final class NodeCommand implements Callable<Integer> {
    @Option(names = "--cluster", required = true, paramLabel = "ADDRESS",
            description = "the cluster's address, ipckit-cluster://NAME@host:port,...#TOKEN")
    String cluster;

    @Option(names = "--bind", paramLabel = "HOST:PORT",
            description = "the interface and port to bind (default: this host's entry in the address)")
    String bind;

    @Option(names = "--backups", paramLabel = "N", description = "backup copies of each item, 0 to 6 (default 1)")
    Integer backups;

    @Option(names = "--workers", paramLabel = "N", description = "worker JVMs this node runs for pools on the "
            + "cluster (Pool.builder().cluster(ADDRESS)); your tasks' classes must be on this JVM's class path "
            + "(default 0: the node holds data only)")
    Integer workers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ClusterNode.Builder b;
        try {
            b = ClusterNode.builder(ClusterAddress.parse(cluster));
            if (bind != null) {
                int colon = bind.lastIndexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("--bind " + bind + ": expected HOST:PORT");
                }
                b.bind(bind.substring(0, colon), Integer.parseInt(bind.substring(colon + 1)));
            }
            if (backups != null) {
                b.backupCount(backups);
            }
            if (workers != null) {
                b.workers(workers);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        long t0 = System.nanoTime();
        // Ctrl-C or kill PID: this hook leaves cleanly (running tasks finish first), not Hazelcast's own
        System.setProperty("hazelcast.shutdownhook.enabled", "false");
        ClusterNode node = b.start();
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "ipckit-node-leave"));
        spec.commandLine().getOut().println("ipckit node of " + node.address().redacted() + " ready on "
                + node.boundAddress().getHostString() + ":" + node.boundAddress().getPort() + ", "
                + node.memberCount() + " member(s), " + node.workerPids().size() + " worker(s), in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        spec.commandLine().getOut().flush();
        while (node.isRunning()) {
            Thread.sleep(500);
        }
        return 0;
    }
}
