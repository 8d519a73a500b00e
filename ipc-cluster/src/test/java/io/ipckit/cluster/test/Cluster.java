package io.ipckit.cluster.test;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.internal.NodeMain;
import io.ipckit.core.test.Children;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A test cluster on 127.0.0.1: an address with free ports and a fresh token, and its members started as
 * child JVMs running {@link NodeMain} with small, fast settings.
 */
public final class Cluster {
    /** Partition count of test members: small, so a member starts fast. */
    public static final int PARTITIONS = 23;
    /** Member failure detection of test members, seconds. */
    public static final int MEMBER_TIMEOUT_SECONDS = 4;
    /** How long after a client's connection is lost its locks are released, in test members. */
    public static final long CLIENT_TIMEOUT_MILLIS = 5000;

    private final ClusterAddress address;
    private final Children children;
    /** The command prefix member {@code i} runs through (none on loopback). */
    private final java.util.function.IntFunction<List<String>> prefix;

    public Cluster(Children children, int members) throws IOException {
        this.children = children;
        List<ClusterAddress.Member> list = new ArrayList<>();
        for (int port : freePorts(members)) {
            list.add(new ClusterAddress.Member("127.0.0.1", port));
        }
        this.address = ClusterAddress.create("test", list);
        this.prefix = i -> List.of();
    }

    /** Members at {@code address}, member {@code i} run through {@code prefix} (e.g. {@code ip netns exec NS}). */
    public Cluster(Children children, ClusterAddress address, java.util.function.IntFunction<List<String>> prefix) {
        this.children = children;
        this.address = address;
        this.prefix = prefix;
    }

    public ClusterAddress address() {
        return address;
    }

    /** Starts member {@code i} of the address and waits until it is up. */
    public Process start(int i) throws Exception {
        return start(i, 1);
    }

    public Process start(int i, int backups) throws Exception {
        return start(i, backups, List.of());
    }

    /** As {@link #start(int, int)}, the member's JVM run with {@code jvmOptions} (e.g. Hazelcast's -D properties). */
    public Process start(int i, int backups, List<String> jvmOptions) throws Exception {
        ClusterAddress.Member m = address.members().get(i);
        Process p = children.start(prefix.apply(i), NodeMain.class, jvmOptions, address.toString(), "--bind",
                m.host() + ":" + m.port(),
                "--partitions", Integer.toString(PARTITIONS), "--backups", Integer.toString(backups),
                "--member-timeout", Integer.toString(MEMBER_TIMEOUT_SECONDS),
                "--client-timeout", Long.toString(CLIENT_TIMEOUT_MILLIS));
        children.awaitOutput(p, NodeMain.READY, 60);
        return p;
    }

    /**
     * Waits until every member says the cluster is safe (each partition's backups in place, no migration
     * running), asked through Hazelcast's executor since a client has no {@code isClusterSafe}. A member that
     * just joined gets its backup replicas by migration, after the client already sees it: an item put
     * before that has no backup, and the kill of its owner loses it.
     *
     * @throws AssertionError when the cluster is not safe within {@code seconds}
     */
    public static void awaitSafe(ClusterAddress address, int seconds) throws Exception {
        awaitSafe(io.ipckit.cluster.internal.ClusterClient.of(address).hazelcast(), seconds);
    }

    /** As {@link #awaitSafe(ClusterAddress, int)}, asking through {@code client}. */
    public static void awaitSafe(com.hazelcast.core.HazelcastInstance client, int seconds) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
        var executor = client.getExecutorService("ipckit-test-safe");
        while (true) {
            boolean safe = true;
            for (var f : executor.submitToAllMembers(new SafeProbe()).values()) {
                safe &= f.get(seconds, java.util.concurrent.TimeUnit.SECONDS);
            }
            if (safe) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the cluster is not safe (backups not in place) after " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    /** Runs in a member: whether its partition service says the cluster is safe. */
    static final class SafeProbe implements java.util.concurrent.Callable<Boolean>, java.io.Serializable,
            com.hazelcast.core.HazelcastInstanceAware {
        private static final long serialVersionUID = 1L;
        private transient com.hazelcast.core.HazelcastInstance hz;

        @Override
        public void setHazelcastInstance(com.hazelcast.core.HazelcastInstance hz) {
            this.hz = hz;
        }

        @Override
        public Boolean call() {
            return hz.getPartitionService().isClusterSafe();
        }
    }

    /** Ports free now on 127.0.0.1 ({@link io.ipckit.cluster.internal.LoopbackPorts#free}). */
    public static int[] freePorts(int n) throws IOException {
        return io.ipckit.cluster.internal.LoopbackPorts.free(n);
    }
}
