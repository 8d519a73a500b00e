package io.ipckit.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.ipckit.cluster.internal.ClientDeaths;
import io.ipckit.cluster.internal.ClusterKeys;
import io.ipckit.cluster.internal.Names;
import io.ipckit.cluster.internal.Quiet;
import io.ipckit.cluster.internal.HostedObjects;
import io.ipckit.cluster.internal.Sealer;
import io.ipckit.cluster.internal.pool.NodeWorkers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One member of an ipckit cluster: a Hazelcast member that holds a share of the cluster's queues, maps,
 * locks and counters and their backups. This is what {@code ipckit node --cluster ADDRESS} runs on each host.
 *
 * <pre>{@code
 * try (ClusterNode node = ClusterNode.builder(ClusterAddress.parse(address)).start()) {
 *     node.awaitClose();
 * }
 * }</pre>
 *
 * <p>The member binds only to one interface (the host of its own entry in the address, or
 * {@link Builder#bind}), joins the address's other members over TCP/IP (multicast, auto-detection and
 * phone-home off), uses the cluster name derived from the address's token (a member or client without the
 * token is refused) and logs nothing (Hazelcast's logging is off).
 *
 * <p>Safe for any thread. {@link #close()} leaves the cluster gracefully (its partitions move to the other
 * members first, bounded by Hazelcast's graceful-shutdown wait).
 */
public final class ClusterNode implements AutoCloseable {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final ClusterAddress address;
    private final InetSocketAddress bound;
    private final HazelcastInstance hazelcast;
    private final ClientDeaths clientDeaths;
    /** The node's pool workers ({@link Builder#workers}), or null. */
    private volatile NodeWorkers workers;

    private ClusterNode(ClusterAddress address, InetSocketAddress bound, HazelcastInstance hazelcast,
                        ClientDeaths clientDeaths) {
        this.address = address;
        this.bound = bound;
        this.hazelcast = hazelcast;
        this.clientDeaths = clientDeaths;
    }

    /** Pids of this node's pool workers ({@link Builder#workers}), a snapshot; empty without workers. Any thread. */
    public java.util.List<Long> workerPids() {
        NodeWorkers w = workers;
        return w == null ? java.util.List.of() : w.workerPids();
    }

    /** A builder for a node of the cluster at {@code address}. Any thread; does not block. */
    public static Builder builder(ClusterAddress address) {
        return new Builder(Objects.requireNonNull(address, "address"));
    }

    /** The address this node serves. */
    public ClusterAddress address() {
        return address;
    }

    /** The interface and port this node listens on. */
    public InetSocketAddress boundAddress() {
        return bound;
    }

    /** The number of members this node currently sees, itself included. Any thread; does not block. */
    public int memberCount() {
        return hazelcast.getCluster().getMembers().size();
    }

    /** Whether the node still runs. */
    public boolean isRunning() {
        return hazelcast.getLifecycleService().isRunning();
    }

    /**
     * Blocks until the node has stopped: closed (by any thread, or this JVM's shutdown), or its member shut
     * down by itself. Any thread.
     *
     * @throws InterruptedException when interrupted while the node runs
     */
    public void awaitStopped() throws InterruptedException {
        java.util.concurrent.CountDownLatch down = new java.util.concurrent.CountDownLatch(1);
        hazelcast.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.SHUTDOWN) {
                down.countDown();
            }
        });
        if (isRunning()) {
            down.await();
        }
    }

    /** The Hazelcast member, for this package's tests (Hazelcast's types stay out of ipckit's API). */
    HazelcastInstance hazelcast() {
        return hazelcast;
    }

    /**
     * Leaves the cluster gracefully and stops the member. With {@link Builder#workers}, first takes no more
     * tasks and lets the running ones finish (at most {@link NodeWorkers#DRAIN}). Any thread; blocks until
     * done (at most the graceful-shutdown wait, 30 s, after that). Idempotent.
     */
    @Override
    public void close() {
        NodeWorkers w = workers;
        if (w != null) {
            w.close(); // takes no more tasks, lets the running ones finish (NodeWorkers.DRAIN), stops the workers
        }
        clientDeaths.close();
        if (hazelcast.getLifecycleService().isRunning()) {
            hazelcast.shutdown();
        }
    }

    @Override
    public String toString() {
        return "ClusterNode[" + address.redacted() + " on " + bound.getHostString() + ":" + bound.getPort() + "]";
    }

    /** Settings of a node, checked when set. Not thread-safe. */
    public static final class Builder {
        private final ClusterAddress address;
        private ClusterAddress.Member bind;
        private int backupCount = 1;
        private int partitionCount = 271;
        private Duration memberTimeout = Duration.ofSeconds(10);
        private Duration clientTimeout = Duration.ofSeconds(10);
        private Duration startTimeout = Duration.ofSeconds(60);
        private int workers;

        private Builder(ClusterAddress address) {
            this.address = address;
        }

        /**
         * Runs {@code n} worker JVMs on this host for the cluster's pools ({@code Pool.builder().cluster(ADDRESS)}):
         * the node takes a task from the cluster whenever one of its workers is free. 0 (the default): the node
         * only holds data. The tasks' classes must be on the node's class path.
         *
         * @throws IllegalArgumentException when {@code n} is negative or over 1024
         */
        public Builder workers(int n) {
            if (n < 0 || n > 1024) {
                throw new IllegalArgumentException("workers " + n + " is not from 0 to 1024; 0 runs no workers");
            }
            this.workers = n;
            return this;
        }

        /**
         * Binds to {@code host:port} instead of this host's own entry in the address (needed when several
         * entries are on this host, e.g. a test cluster on 127.0.0.1).
         *
         * @throws IllegalArgumentException when the host or port is not valid
         */
        public Builder bind(String host, int port) {
            this.bind = new ClusterAddress.Member(host, port);
            return this;
        }

        /**
         * Synchronous backups of every queue, map, lock and counter on other members: data survives the loss
         * of this many members at once. 0 to 6; default 1.
         */
        public Builder backupCount(int count) {
            if (count < 0 || count > 6) {
                throw new IllegalArgumentException("backupCount " + count + " is not from 0 to 6 (Hazelcast's range);"
                        + " 1 keeps data through the loss of one member");
            }
            this.backupCount = count;
            return this;
        }

        /**
         * Hazelcast's partition count; every member of a cluster must use the same. 1 to 2719; default 271
         * (Hazelcast's); a small cluster starts faster with fewer (e.g. 23).
         */
        public Builder partitionCount(int count) {
            if (count < 1 || count > 2719) {
                throw new IllegalArgumentException("partitionCount " + count + " is not from 1 to 2719; every member"
                        + " of a cluster must use the same");
            }
            this.partitionCount = count;
            return this;
        }

        /**
         * How long a member may be silent before the others declare it dead and promote its backups; whole
         * seconds, at least 2; default 10 s.
         */
        public Builder memberTimeout(Duration timeout) {
            this.memberTimeout = seconds(timeout, 2, "memberTimeout");
            return this;
        }

        /**
         * How long a client may be silent (no heartbeat; its host lost or its network cut) before the members
         * drop its connection, and how long they then keep its session for it to come back; whole seconds,
         * at least 1 s; default 10 s. A client whose process dies (even {@code kill -9}) on a host that
         * stays up loses its connection at once, and its locks are released at once (measured 0.1 to 0.3 s).
         */
        public Builder clientTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "clientTimeout");
            if (timeout.toMillis() < 1000) {
                throw new IllegalArgumentException("clientTimeout " + timeout + " is shorter than 1 s");
            }
            this.clientTimeout = timeout;
            return this;
        }

        /** How long {@link #start()} waits for the member to be up; default 60 s. */
        public Builder startTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "startTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout " + timeout + " is not positive");
            }
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Starts the member and joins the cluster (alone if no other member is up). Blocks until the member
         * is up, at most the start timeout.
         *
         * @throws IllegalArgumentException when no member of the address is on this host and no
         *                                  {@link #bind} was given
         * @throws ClusterException         when the member cannot start in time or cannot bind its port
         */
        public ClusterNode start() {
            ClusterAddress.Member me = bind != null ? bind : ownEntry();
            InetAddress ip = resolve(me);
            Config config = config(ip, me.port());
            Quiet.logging();
            CompletableFuture<HazelcastInstance> started = CompletableFuture.supplyAsync(
                    () -> Hazelcast.newHazelcastInstance(config), r -> {
                        Thread t = new Thread(r, "ipckit-cluster-node-start");
                        t.setDaemon(true);
                        t.start();
                    });
            try {
                HazelcastInstance hz = started.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
                hz.getMap(Names.META).putIfAbsent("backupCount", backupCount);
                ClusterNode node = new ClusterNode(address, new InetSocketAddress(ip, me.port()), hz,
                        ClientDeaths.install(hz, clientTimeout));
                if (workers > 0) {
                    try {
                        node.workers = NodeWorkers.start(hz, new Sealer(ClusterKeys.of(address)), workers,
                                ip.getHostAddress() + ":" + me.port());
                    } catch (RuntimeException | Error e) {
                        node.close();
                        throw e;
                    }
                }
                return node;
            } catch (TimeoutException e) {
                started.thenAccept(HazelcastInstance::shutdown);
                throw new ClusterException("cluster node " + address.redacted() + " on " + me + " did not start within "
                        + startTimeout.toSeconds() + " s; check that port " + me.port() + " is free");
            } catch (InterruptedException e) {
                started.thenAccept(HazelcastInstance::shutdown);
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while starting cluster node on " + me, e);
            } catch (ExecutionException e) {
                throw new ClusterException("cluster node " + address.redacted() + " could not start on " + me + ": "
                        + e.getCause().getMessage() + " (is port " + me.port() + " in use?)", e.getCause());
            }
        }

        private Config config(InetAddress ip, int port) {
            Config config = new Config();
            config.setInstanceName("ipckit-node-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet());
            config.setClusterName(ClusterKeys.of(address).clusterName());
            Quiet.memberProperties(config);
            config.setProperty("hazelcast.partition.count", Integer.toString(partitionCount));
            config.setProperty("hazelcast.socket.bind.any", "false");
            config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
            config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(memberTimeout.toSeconds()));
            config.setProperty("hazelcast.client.max.no.heartbeat.seconds",
                    Long.toString(Math.max(1, (clientTimeout.toMillis() + 999) / 1000)));
            config.setProperty("hazelcast.client.cleanup.timeout.millis", Long.toString(clientTimeout.toMillis()));
            config.setProperty("hazelcast.client.cleanup.period.millis",
                    Long.toString(Math.max(500, clientTimeout.toMillis() / 4)));
            config.setProperty("hazelcast.wait.seconds.before.join", "0");
            config.setProperty("hazelcast.max.join.seconds", "10");
            config.setProperty("hazelcast.graceful.shutdown.max.wait", "30");
            config.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
            NetworkConfig network = config.getNetworkConfig();
            network.setPort(port).setPortAutoIncrement(false).setReuseAddress(true);
            network.getInterfaces().setEnabled(true).addInterface(ip.getHostAddress());
            JoinConfig join = network.getJoin();
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
            for (ClusterAddress.Member m : address.members()) {
                join.getTcpIpConfig().addMember(m.bareHost() + ":" + m.port());
            }
            config.addQueueConfig(new QueueConfig("default").setBackupCount(backupCount));
            config.addMapConfig(new MapConfig("default").setBackupCount(backupCount));
            config.getMetricsConfig().setEnabled(false);
            config.getJetConfig().setEnabled(false);
            HostedObjects.install(config, address, ip.getHostAddress() + ":" + port);
            return config;
        }

        /** The address's entry on this host: the only one, or the first whose port is free now. */
        private ClusterAddress.Member ownEntry() {
            ClusterAddress.Member firstLocal = null;
            int locals = 0;
            for (ClusterAddress.Member m : address.members()) {
                if (isLocal(m)) {
                    locals++;
                    if (firstLocal == null) {
                        firstLocal = m;
                    }
                    if (portFree(m)) {
                        return m;
                    }
                }
            }
            if (locals == 0) {
                throw new IllegalArgumentException("none of the members of " + address.redacted()
                        + " is on this host; pass bind(host, port) with this host's address");
            }
            return firstLocal; // all taken: start() reports the port in use
        }

        private static boolean isLocal(ClusterAddress.Member m) {
            try {
                for (InetAddress a : InetAddress.getAllByName(m.bareHost())) {
                    if (a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null) {
                        return true;
                    }
                }
            } catch (UnknownHostException | SocketException e) {
                return false;
            }
            return false;
        }

        private static boolean portFree(ClusterAddress.Member m) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(m.bareHost(), m.port()));
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static InetAddress resolve(ClusterAddress.Member m) {
            try {
                return InetAddress.getByName(m.bareHost());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("cannot resolve host '" + m.host() + "' to bind the cluster node;"
                        + " use an IP address or a name this host resolves", e);
            }
        }

        private static Duration seconds(Duration d, long min, String what) {
            Objects.requireNonNull(d, what);
            if (d.toSeconds() < min) {
                throw new IllegalArgumentException(what + " " + d + " is shorter than " + min + " s");
            }
            return d;
        }
    }
}
