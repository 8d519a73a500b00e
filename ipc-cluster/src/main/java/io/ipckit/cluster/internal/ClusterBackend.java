package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.SerializableRunnable;
import io.ipckit.core.SerializableSupplier;
import io.ipckit.core.SharedBarrier;
import io.ipckit.core.SharedCondition;
import io.ipckit.core.SharedEvent;
import io.ipckit.core.SharedList;
import io.ipckit.core.SharedLock;
import io.ipckit.core.SharedLong;
import io.ipckit.core.SharedMap;
import io.ipckit.core.SharedQueue;
import io.ipckit.core.SharedSemaphore;
import io.ipckit.core.SharedValue;
import io.ipckit.core.Codec;
import io.ipckit.core.internal.backend.Backend;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The cluster backend: a {@code Manager} whose objects live in a Hazelcast cluster, reached through this
 * JVM's client of the address ({@link ClusterClient#of}, one per address, shared by every manager and handle
 * of it). The program's JVM is a client: it holds no data. The client closes with the last manager or pool
 * of this JVM that uses it.
 *
 * <p>What the cluster backend has: queues (plain, bounded, joinable), maps (and namespaces on them),
 * locks (plain and reentrant), semaphores (plain and bounded), conditions, events, barriers, shared longs,
 * values, lists, and objects of your own types ({@link ClusterObjects}). Any thread.
 */
public final class ClusterBackend implements Backend {
    private final ClusterClient client;
    /** Whether this backend is a manager's (it released its hold on the client at close), or a handle's. */
    private final boolean owner;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final Codec codec = Codec.defaults();

    private ClusterBackend(ClusterClient client, boolean owner) {
        this.client = client;
        this.owner = owner;
    }

    /** A manager's backend of {@code address}: holds this JVM's client of it until {@link #close()}. Bounded connect. */
    public static ClusterBackend connect(String address) {
        return new ClusterBackend(ClusterClient.acquire(ClusterAddress.parse(address)), true);
    }

    /** The backend a handle arriving in this JVM is made again through: this JVM's client, held by no one. */
    static ClusterBackend of(String address) {
        return new ClusterBackend(ClusterClient.of(ClusterAddress.parse(address)), false);
    }

    @Override
    public String address() {
        return client.address().toString();
    }

    @Override
    public Path directory() {
        throw new UnsupportedOperationException("a cluster manager (" + client.address().redacted()
                + ") has no local space directory");
    }

    @Override
    public long pid() {
        throw new UnsupportedOperationException("no single process serves the objects of cluster "
                + client.address().redacted());
    }

    @Override
    public <K, V> SharedMap<K, V> map(String name) {
        return ClusterMap.<K, V>create(client.hazelcast(), client.sealer(), codec, name).withOrigin(client.address());
    }

    @Override
    public <E> SharedList<E> list(String name) {
        return ClusterList.<E>create(client.hazelcast(), client.sealer(), codec, name).withOrigin(client.address());
    }

    @Override
    public <E> SharedQueue<E> queue(String name, int maxsize, boolean joinable) {
        return ClusterQueue.<E>create(client.hazelcast(), client.sealer(), codec, name, maxsize, joinable)
                .withOrigin(client.address());
    }

    @Override
    public SharedLock lock(String name, boolean reentrant) {
        return ClusterLock.create(client.hazelcast(), name, reentrant).withOrigin(client.address());
    }

    @Override
    public SharedSemaphore semaphore(String name, int permits, boolean bounded) {
        return ClusterSemaphore.create(client.hazelcast(), name, permits, bounded).withOrigin(client.address());
    }

    @Override
    public SharedCondition condition(String name, String lockName) {
        return ClusterCondition.create(client.hazelcast(), name, ClusterLock.create(client.hazelcast(), lockName, true))
                .withOrigin(client.address());
    }

    @Override
    public SharedEvent event(String name) {
        return ClusterEvent.create(client.hazelcast(), name).withOrigin(client.address());
    }

    @Override
    public SharedBarrier barrier(String name, int parties, SerializableRunnable action, Duration timeout) {
        return ClusterBarrier.create(client.hazelcast(), client.sealer(), codec, name, parties, action, true, timeout)
                .withOrigin(client.address());
    }

    /** A barrier's handle made again from its reference: with whatever action the barrier has. */
    SharedBarrier barrierByReference(String name, int parties) {
        return ClusterBarrier.create(client.hazelcast(), client.sealer(), codec, name, parties, null, false, null)
                .withOrigin(client.address());
    }

    @Override
    public SharedLong sharedLong(String name) {
        return ClusterLong.create(client.hazelcast(), name).withOrigin(client.address());
    }

    @Override
    public <T> SharedValue<T> value(String name, T initial) {
        return ClusterValue.create(client.hazelcast(), client.sealer(), codec, name, initial).withOrigin(client.address());
    }

    /**
     * Hosts an object of your own type in one of the cluster's nodes (see {@link HostedObjects}: the node
     * needs its classes; the object starts afresh from its factory in another node when its node leaves).
     */
    @Override
    public <T> void register(String name, Class<T> type, SerializableSupplier<? extends T> factory) {
        ClusterObjects.register(client, name, type, factory);
    }

    @Override
    public <T> T proxy(String name, Class<T> type) {
        return ClusterObjects.proxy(client, name, type);
    }

    /** A cluster outlives its clients: shutting it down is stopping its nodes ({@code kill PID} of each). */
    @Override
    public void shutdown() {
        throw new UnsupportedOperationException("a cluster manager is not shut down by a client: stop the nodes"
                + " of " + client.address().redacted() + " (kill each node's process: it leaves the cluster cleanly)");
    }

    /**
     * Lets go of this JVM's client of the cluster: the client closes with the last manager or pool of this JVM
     * using it, and then handles got from them stop working here (a later {@code Manager.connect}, or a
     * handle arriving, connects again); the cluster and its objects go on. Idempotent.
     */
    @Override
    public void close() {
        if (owner && closed.compareAndSet(false, true)) {
            client.release();
        }
    }

    @Override
    public void detach() {
        close();
    }

    @Override
    public String toString() {
        return "Manager[cluster " + client.address().redacted() + "]";
    }
}
