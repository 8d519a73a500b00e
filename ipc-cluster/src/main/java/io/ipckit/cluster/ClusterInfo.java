package io.ipckit.cluster;

import io.ipckit.cluster.internal.ClusterClient;

import com.hazelcast.collection.ICollection;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code ipckit inspect ipckit-cluster://...} shows: the members of a cluster and its ipckit queues,
 * maps and lists with their sizes, read as a client (the data stays encrypted: only names and sizes are
 * read). An immutable snapshot; {@link #of} blocks for a connect (at most ten seconds) and a few cluster
 * calls. Any thread.
 */
public final class ClusterInfo {
    private final String address;
    private final List<String> members;
    private final List<ObjectInfo> objects;

    private ClusterInfo(String address, List<String> members, List<ObjectInfo> objects) {
        this.address = address;
        this.members = List.copyOf(members);
        this.objects = List.copyOf(objects);
    }

    /** An object of the cluster: its kind ({@code queue}, {@code map}, {@code list}), name and size. */
    public record ObjectInfo(String kind, String name, int size) {
    }

    /**
     * Reads the cluster at {@code address} through this JVM's client of it.
     *
     * @throws ClusterException when no member answers within the connect bound
     */
    public static ClusterInfo of(ClusterAddress address) {
        HazelcastInstance hz = ClusterClient.of(address).hazelcast();
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
        return new ClusterInfo(address.redacted(), members, objects);
    }

    /** The cluster's address without its token. */
    public String address() {
        return address;
    }

    /** The members' {@code host:port}, as the cluster lists them. */
    public List<String> members() {
        return members;
    }

    /** The ipckit queues, maps and lists, by kind and name. */
    public List<ObjectInfo> objects() {
        return objects;
    }
}
