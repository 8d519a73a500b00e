package io.ipckit.cluster.test;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.internal.NodeMain;
import io.ipckit.core.test.Children;

import java.util.List;

/** Starts cluster nodes with pool workers as child JVMs running {@link NodeMain}, with the fast test settings of {@link Cluster}. */
public final class PoolNode {
    private PoolNode() {
    }

    /** A one-member test address on a free port of 127.0.0.1 with a fresh token. */
    public static ClusterAddress address(int members) throws Exception {
        int[] ports = Cluster.freePorts(members);
        List<ClusterAddress.Member> list = new java.util.ArrayList<>();
        for (int p : ports) {
            list.add(new ClusterAddress.Member("127.0.0.1", p));
        }
        return ClusterAddress.create("pool", list);
    }

    /** Starts member {@code i} of {@code address} with {@code workers} workers; waits until the member is up. */
    public static Process start(Children children, ClusterAddress address, int i, int workers) throws Exception {
        ClusterAddress.Member m = address.members().get(i);
        Process p = children.start(NodeMain.class, address.toString(), "--bind", m.host() + ":" + m.port(),
                "--partitions", Integer.toString(Cluster.PARTITIONS),
                "--member-timeout", Integer.toString(Cluster.MEMBER_TIMEOUT_SECONDS),
                "--client-timeout", Long.toString(Cluster.CLIENT_TIMEOUT_MILLIS),
                "--workers", Integer.toString(workers));
        children.awaitOutput(p, NodeMain.READY, 60);
        return p;
    }
}
