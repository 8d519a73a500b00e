package io.ipckit.cluster;

import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.pool.Wire;

import com.hazelcast.collection.ICollection;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code ipckit inspect ipckit-cluster://...} shows: the members of a cluster, the nodes running
 * pool workers (with the workers' pids), and its ipckit queues, maps and lists with their sizes, read as a
 * client (the data stays encrypted: only names, sizes and the nodes' sealed announcements are read). An immutable snapshot; {@link #of} blocks for a connect (at most ten seconds) and a few cluster
 * calls. Any thread.
 */
public final class ClusterInfo {
    private final String address;
    private final List<String> members;
    private final List<NodeInfo> nodes;
    private final List<ObjectInfo> objects;

    private ClusterInfo(String address, List<String> members, List<NodeInfo> nodes, List<ObjectInfo> objects) {
        this.address = address;
        this.members = List.copyOf(members);
        this.nodes = List.copyOf(nodes);
        this.objects = List.copyOf(objects);
    }

    /**
     * A node running pool workers ({@code ipckit node --workers N}): its {@code host:port}, its process id,
     * how many workers it runs and their process ids (those ready now).
     */
    public record NodeInfo(String host, long pid, int workers, List<Long> workerPids) {
    }

    /** An object of the cluster: its kind ({@code queue}, {@code map}, {@code list}), name and size. */
    public record ObjectInfo(String kind, String name, int size) {
    }

    /**
     * Reads the cluster at {@code address} through a client of its own, closed before it returns.
     *
     * @throws ClusterException when no member answers within the connect bound
     */
    public static ClusterInfo of(ClusterAddress address) {
        try (ClusterClient client = ClusterClient.connect(address, ClusterClient.connectTimeout())) {
            return read(address, client);
        }
    }

    private static ClusterInfo read(ClusterAddress address, ClusterClient client) {
        HazelcastInstance hz = client.hazelcast();
        List<String> members = new ArrayList<>();
        hz.getCluster().getMembers().forEach(m -> members.add(m.getAddress().getHost() + ":" + m.getAddress().getPort()));
        List<ObjectInfo> objects = new ArrayList<>();
        for (DistributedObject o : hz.getDistributedObjects()) {
            String n = o.getName();
            if (n.startsWith("ipckit.q.") && o instanceof ICollection) {
                objects.add(new ObjectInfo("queue", n.substring("ipckit.q.".length()), ((ICollection<?>) o).size()));
            } else if (n.startsWith("ipckit.l.") && o instanceof ICollection) {
                objects.add(new ObjectInfo("list", n.substring("ipckit.l.".length()), ((ICollection<?>) o).size()));
            } else if (n.startsWith("ipckit.m.") && o instanceof IMap) {
                objects.add(new ObjectInfo("map", n.substring("ipckit.m.".length()), ((IMap<?, ?>) o).size()));
            }
        }
        objects.sort(Comparator.comparing(ObjectInfo::kind).thenComparing(ObjectInfo::name));
        List<NodeInfo> nodes = new ArrayList<>();
        IMap<String, byte[]> announced = hz.getMap(Wire.NODES);
        for (byte[] sealed : announced.values()) {
            Wire.NodeInfo n = Wire.openNode(client.sealer(), sealed);
            nodes.add(new NodeInfo(n.host(), n.pid(), n.workers(), n.workerPids()));
        }
        nodes.sort(Comparator.comparing(NodeInfo::host));
        return new ClusterInfo(address.redacted(), members, nodes, objects);
    }

    /** The cluster's address without its token. */
    public String address() {
        return address;
    }

    /** The members' {@code host:port}, as the cluster lists them. */
    public List<String> members() {
        return members;
    }

    /** The nodes running pool workers, by {@code host:port}. */
    public List<NodeInfo> nodes() {
        return nodes;
    }

    /** The ipckit queues, maps and lists, by kind and name. */
    public List<ObjectInfo> objects() {
        return objects;
    }
}
