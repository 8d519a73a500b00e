package io.ipckit.cluster.test;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.NodeMain;
import io.ipckit.core.test.Children;
import io.ipckit.pool.AsyncResult;
import io.ipckit.pool.Pool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A measuring tool (test scope, never run by the suite): starts {@code --nodes} node JVMs on loopback with
 * {@code --workers} workers each, then, from this JVM as the cluster's client, measures a cluster pool's
 * {@code apply} round trip (p50, p99 over {@code --apply} calls, one at a time) and the {@code applyAsync}
 * throughput of one caller ({@code --async} tiny tasks submitted at once, tasks/s until the last completes),
 * {@code --rounds} times after a warm-up. Prints one line a round. {@code --node-jvm "OPTS"} adds JVM options
 * to the nodes (e.g. {@code -XX:StartFlightRecording=filename=/tmp/n.jfr}); the nodes are stopped with
 * SIGTERM at the end (a recording is then written) and killed if they linger.
 *
 * <pre>
 * java $FLAGS -cp ... io.ipckit.cluster.test.PoolSpeedMain --nodes 2 --workers 1 --apply 2000 --async 5000 --rounds 3
 * </pre>
 */
public final class PoolSpeedMain {
    private PoolSpeedMain() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = 2;
        int workers = 1;
        int applies = 2000;
        int asyncs = 5000;
        int rounds = 3;
        List<String> nodeJvm = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(v);
                case "--workers" -> workers = Integer.parseInt(v);
                case "--apply" -> applies = Integer.parseInt(v);
                case "--async" -> asyncs = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--node-jvm" -> nodeJvm.addAll(Arrays.asList(v.trim().split("\\s+")));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path logs = Files.createTempDirectory("ipckit-pool-speed");
        ClusterAddress address = PoolNode.address(nodes);
        List<Process> started = new ArrayList<>();
        try (Children children = new Children(logs)) {
            for (int i = 0; i < nodes; i++) {
                ClusterAddress.Member m = address.members().get(i);
                Process p = children.start(NodeMain.class, nodeJvm, address.toString(), "--bind",
                        m.host() + ":" + m.port(), "--partitions", Integer.toString(Cluster.PARTITIONS),
                        "--member-timeout", Integer.toString(Cluster.MEMBER_TIMEOUT_SECONDS),
                        "--client-timeout", Long.toString(Cluster.CLIENT_TIMEOUT_MILLIS),
                        "--workers", Integer.toString(workers));
                children.awaitOutput(p, NodeMain.READY, 60);
                started.add(p);
            }
            try (Pool pool = Pool.builder().cluster(address.toString()).name("speed").build()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (pool.workerPids().size() < nodes * workers) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("workers not up: " + pool.workerPids());
                    }
                    Thread.sleep(50);
                }
                System.out.println("nodes=" + nodes + " workers/node=" + workers + " workers " + pool.workerPids());
                measure(pool, Math.min(500, applies), Math.min(2000, asyncs), "warm-up", started);
                for (int r = 1; r <= rounds; r++) {
                    measure(pool, applies, asyncs, "round " + r, started);
                }
            } finally {
                ClusterClient.closeAll();
                for (Process p : started) {
                    p.destroy(); // SIGTERM: the node leaves cleanly (a flight recording is dumped)
                }
                for (Process p : started) {
                    p.waitFor(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            try (var files = Files.walk(logs)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** CPU time (ms) of this JVM, the nodes and the nodes' workers. */
    private static long[] cpu(List<Process> nodes) {
        long[] c = new long[3];
        c[0] = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
        for (Process n : nodes) {
            c[1] += n.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L);
            for (ProcessHandle w : n.descendants().toList()) {
                c[2] += w.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L);
            }
        }
        return c;
    }

    private static void measure(Pool pool, int applies, int asyncs, String label, List<Process> nodes) throws Exception {
        long[] rtt = new long[applies];
        for (int i = 0; i < applies; i++) {
            long t0 = System.nanoTime();
            pool.apply(() -> 1);
            rtt[i] = System.nanoTime() - t0;
        }
        Arrays.sort(rtt);
        long[] cpu0 = cpu(nodes);
        long t0 = System.nanoTime();
        List<AsyncResult<Integer>> burst = new ArrayList<>(asyncs);
        for (int i = 0; i < asyncs; i++) {
            burst.add(pool.applyAsync(() -> 1));
        }
        for (AsyncResult<Integer> r : burst) {
            r.get(120, TimeUnit.SECONDS);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long[] cpu1 = cpu(nodes);
        System.out.printf("%s: apply p50 %d us p99 %d us (n=%d); applyAsync %d tasks in %.2f s = %.0f tasks/s"
                        + " (cpu us/task: caller %d, nodes %d, workers %d)%n",
                label, rtt[applies / 2] / 1000, rtt[(int) (applies * 0.99)] / 1000, applies, asyncs, secs,
                asyncs / secs, (cpu1[0] - cpu0[0]) * 1000 / asyncs, (cpu1[1] - cpu0[1]) * 1000 / asyncs,
                (cpu1[2] - cpu0[2]) * 1000 / asyncs);
    }
}
