package io.ipckit.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.map.IMap;
import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.Codec;
import io.ipckit.core.RemoteException;
import io.ipckit.core.internal.objects.Host;
import io.ipckit.core.internal.objects.HostedObject;

import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The objects of the user's own types that one cluster node hosts, and the node's side of their
 * {@link ObjectCall}s. An object lives in one node, its host: the node that ran its factory at its first
 * registration (the owner of its name's partition then). Its {@link ObjectEntry} (interface, sealed
 * factory, host) is kept in the {@value ObjectEntry#OBJECTS} IMap with the cluster's backups. A call that
 * reaches another node is answered {@link ObjectCall#MOVED} with the host; once the host has left the
 * cluster, the first node a call reaches takes the object over and starts it afresh from its factory (the
 * state it had lived in the node that left).
 *
 * <p>A call reaching the host runs without reading the registry while the cluster's membership is what it
 * was when the registry last named this node (the membership epoch, counted by a listener of every member
 * added or removed and of a split-brain merge): an object moves only when its host leaves, so the host's
 * own view can be stale only after a membership change. After one (a node left, or the two halves of a
 * split cluster merged, where the other half may have taken the object over), the next call reads the
 * registry again; a node that finds another member named there drops its own copy and answers MOVED. A
 * node that takes an object over starts it afresh even when it still holds a copy: its own from before a
 * split (a merge gives the member a new uuid, so the registry names it no longer), which no call dropped.
 *
 * <p>Thread role: the node's executor threads of {@value ObjectCall#EXECUTOR}, any number at once; calls on
 * one object run one at a time (each object has its own lock), calls on different objects in parallel.
 */
public final class HostedObjects {
    /** The key of a node's instance in its Hazelcast user context. */
    static final String CONTEXT_KEY = "ipckit.hostedObjects";
    /** Threads of a node running calls on objects (so at most this many objects' calls run at once). */
    static final int THREADS = 16;

    private final Sealer sealer;
    private final String place;
    private final Codec codec = Codec.defaults();
    private final ConcurrentHashMap<String, Here> objects = new ConcurrentHashMap<>();
    /** Membership changes seen by this node (members added or removed, merges after a split brain). */
    private final AtomicLong epoch = new AtomicLong();
    /** Held while an object is made here, so that one node makes each object once. */
    private final Object making = new Object();

    private HostedObjects(Sealer sealer, String place) {
        this.sealer = sealer;
        this.place = place;
    }

    /** Makes the node of {@code config} host objects: its executor service and its user context. */
    public static void install(Config config, ClusterAddress address, String hostPort) {
        config.getExecutorConfig(ObjectCall.EXECUTOR).setPoolSize(THREADS);
        HostedObjects objects = new HostedObjects(new Sealer(ClusterKeys.of(address)), "cluster node " + hostPort);
        config.getUserContext().put(CONTEXT_KEY, objects);
        config.addListenerConfig(new ListenerConfig(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                objects.epoch.incrementAndGet();
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                objects.epoch.incrementAndGet();
            }
        }));
        config.addListenerConfig(new ListenerConfig((LifecycleListener) e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.MERGING
                    || e.getState() == LifecycleEvent.LifecycleState.MERGED) {
                objects.epoch.incrementAndGet();
            }
        }));
    }

    /** An object hosted here, and the membership epoch at which the registry last named this node its host. */
    private record Here(HostedObject object, long epoch) {
    }

    /** Runs one call; answers the sealed {@code {status, value, error, this node's uuid}}. */
    byte[] serve(HazelcastInstance node, ObjectCall call) {
        String subject = ObjectCall.subject(call.name);
        UUID me = node.getCluster().getLocalMember().getUuid();
        Object[] reply;
        try {
            Object[] request = (Object[]) codec.decode(sealer.open(call.sealed, subject));
            reply = switch (call.op) {
                case ObjectCall.REGISTER -> register(node, me, call.name, (String) request[0], (byte[]) request[1]);
                case ObjectCall.LOOKUP -> lookup(node, me, call.name, (String) request[0]);
                case ObjectCall.INVOKE -> invoke(node, me, call.name, request);
                default -> throw new IllegalArgumentException("object '" + call.name + "': unknown operation " + call.op);
            };
        } catch (Throwable t) {
            reply = new Object[] {ObjectCall.FAILED, null, t};
        }
        return seal(reply, me, subject);
    }

    private Object[] register(HazelcastInstance node, UUID me, String name, String typeName, byte[] factory) throws Exception {
        IMap<String, ObjectEntry> registry = node.getMap(ObjectEntry.OBJECTS);
        ObjectEntry existing = registry.get(name);
        if (existing == null) {
            synchronized (making) {
                long seen = epoch.get();
                Here made = new Here(HostedObject.create(name, typeName, factory, host()), seen);
                objects.put(name, made);
                existing = registry.putIfAbsent(name, new ObjectEntry(typeName, sealer.seal(factory,
                        ObjectCall.subject(name)), me));
                if (existing == null) {
                    return ok(null);
                }
                objects.remove(name, made); // another node registered it first: its object stays
            }
        }
        HostedObject.requireSameInterface(name, existing.interfaceName, typeName);
        return ok(null);
    }

    private Object[] lookup(HazelcastInstance node, UUID me, String name, String typeName) throws Exception {
        Object h = hosted(node, me, name);
        return h instanceof HostedObject ? ok(((HostedObject) h).lookup(typeName)) : (Object[]) h;
    }

    private Object[] invoke(HazelcastInstance node, UUID me, String name, Object[] request) throws Exception {
        Object h = hosted(node, me, name);
        if (!(h instanceof HostedObject)) {
            return (Object[]) h;
        }
        return ok(((HostedObject) h).invoke((String) request[0], (String) request[1], (String[]) request[2],
                (byte[]) request[3]));
    }

    /** The object when this node hosts it (taking it over when its host left), else the MOVED reply. */
    private Object hosted(HazelcastInstance node, UUID me, String name) throws Exception {
        Here here = objects.get(name);
        long seen = epoch.get(); // read before the registry: a change after it makes the next call look again
        if (here != null && here.epoch == seen) {
            return here.object; // no member came or went since the registry named this node: still the host
        }
        IMap<String, ObjectEntry> registry = node.getMap(ObjectEntry.OBJECTS);
        while (true) {
            ObjectEntry e = registry.get(name);
            if (e == null) {
                throw new IllegalArgumentException("no object '" + name + "' is registered in the cluster; objects of"
                        + " your own types are registered first with manager.register(\"" + name
                        + "\", YourInterface.class, factory)");
            }
            if (e.host.equals(me)) {
                synchronized (making) { // confirmed here, or taken over: made afresh from the factory, once
                    Here h = objects.get(name);
                    HostedObject o = h != null ? h.object : HostedObject.create(name, e.interfaceName,
                            sealer.open(e.sealedFactory, ObjectCall.subject(name)), host());
                    objects.put(name, new Here(o, seen));
                    return o;
                }
            }
            if (isMember(node, e.host)) {
                objects.remove(name); // another member hosts it (it took it over while this node was apart)
                return new Object[] {ObjectCall.MOVED, e.host.toString(), null};
            }
            synchronized (making) { // its host left: this node takes it over (or another did)
                if (registry.replace(name, e, e.movedTo(me))) {
                    // a copy still here is stale (this node's own from before a split, kept since no call
                    // reached it after the merge, which gave the member a new uuid): made afresh below
                    objects.remove(name);
                }
            }
        }
    }

    private static boolean isMember(HazelcastInstance node, UUID uuid) {
        for (Member m : node.getCluster().getMembers()) {
            if (m.getUuid().equals(uuid)) {
                return true;
            }
        }
        return false;
    }

    /** This node, as one object's host: the object's calls run one at a time, under its own lock. */
    private Host host() {
        Object lock = new Object();
        return new Host(place, "the node's JVM", "start the nodes with it on their class path (java -cp"
                + " ipckit-cli.jar:YOUR.jar io.ipckit.samples.cli.IpckitCli node ...)", new Host.Runner() {
                    @Override
                    public <T> T run(Callable<T> code) throws Exception {
                        synchronized (lock) {
                            return code.call();
                        }
                    }
                });
    }

    private static Object[] ok(Object value) {
        return new Object[] {ObjectCall.OK, value, null};
    }

    /** The reply, sealed; an error the codec cannot encode travels as a RemoteException with its text. */
    private byte[] seal(Object[] reply, UUID me, String subject) {
        Object[] full = {reply[0], reply[1], reply[2], me.toString()};
        byte[] plain;
        try {
            plain = codec.encode(full);
        } catch (RuntimeException e) {
            Throwable error = reply[2] != null ? (Throwable) reply[2] : e;
            plain = codec.encode(new Object[] {ObjectCall.FAILED, null, new RemoteException(place + ": " + error
                    + " (the exception itself could not be sent back: " + e.getMessage() + ")", null), me.toString()});
        }
        return sealer.seal(plain, subject);
    }
}
