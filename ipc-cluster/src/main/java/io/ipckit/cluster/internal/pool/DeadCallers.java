package io.ipckit.cluster.internal.pool;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;

import java.util.UUID;

/**
 * The result queues of callers that died without closing their pools (kill -9, a lost host). Each cluster
 * pool registers its caller id with its JVM's client id in {@link Wire#CALLERS} before it uses its result
 * queue, again whenever its client connects again, and withdraws it when it ends. When a client is gone for the client timeout, the node that saw it
 * go ({@code ClientDeaths}) removes the result queues of that client's callers ({@link #dropClient}), and
 * then any result queue whose caller is not registered (one that a node's late reply made again); a pool
 * starting does the latter too ({@link #sweep}).
 *
 * <p>Caller ids and client ids are names, in the clear like every object name; the queues' payloads stay
 * sealed. Thread role: stateless, any thread; every method blocks on the cluster (a few calls).
 */
public final class DeadCallers {
    private DeadCallers() {
    }

    /** Registers {@code caller} as a caller of the JVM whose client is {@code client}. */
    static void register(HazelcastInstance hz, String caller, UUID client) {
        hz.<String, String>getMap(Wire.CALLERS).set(caller, client.toString());
    }

    /** Withdraws {@code caller}. */
    static void unregister(HazelcastInstance hz, String caller) {
        hz.<String, String>getMap(Wire.CALLERS).delete(caller);
    }

    /**
     * Removes the result queues of the callers of client {@code client}, gone, and their registrations;
     * then {@link #sweep}s. On a node.
     */
    public static void dropClient(HazelcastInstance hz, UUID client) {
        IMap<String, String> callers = hz.getMap(Wire.CALLERS);
        for (String caller : callers.keySet(Predicates.equal("this", client.toString()))) {
            hz.getQueue(Wire.results(caller)).destroy();
            callers.delete(caller);
        }
        sweep(hz);
    }

    /** Removes the result queues whose caller is not registered. */
    public static void sweep(HazelcastInstance hz) {
        IMap<String, String> callers = hz.getMap(Wire.CALLERS);
        String prefix = Wire.results("");
        for (DistributedObject o : hz.getDistributedObjects()) {
            if (o instanceof IQueue<?> q && o.getName().startsWith(prefix)
                    && !callers.containsKey(o.getName().substring(prefix.length()))) {
                q.destroy();
            }
        }
    }
}
