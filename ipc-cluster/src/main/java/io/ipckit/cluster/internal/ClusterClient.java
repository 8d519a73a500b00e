package io.ipckit.cluster.internal;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.ClusterException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This JVM's one Hazelcast client of a cluster address: cached per address ({@link #of}), closed by
 * {@link #close()}, at JVM exit (Hazelcast's shutdown hook), or when only client threads are left to keep the
 * JVM alive ({@link ExitWatch}: a program that returns from {@code main} with a cluster manager open exits).
 *
 * <p>Bounds: connecting gives up after {@link #connectTimeout()} (10 s unless set) with a {@link ClusterException}; an
 * operation gives up after {@link #INVOCATION_TIMEOUT} (the cluster objects throw
 * {@link io.ipckit.cluster.ClusterUnreachableException} then);
 * a member silent for {@link #HEARTBEAT_TIMEOUT} is dropped. When the whole cluster goes away the client
 * keeps trying to reconnect in the background (backoff up to 2 s) for as long as it is open; operations
 * meanwhile wait for it up to the invocation timeout, then fail; it resumes when a member is back (with
 * the data the cluster still has: a cluster that lost all its members restarts empty).
 *
 * <p>An operation under way on a member that dies is redone on the member that takes over (Hazelcast's
 * redo-operation), so a member's death is not seen by callers; the price: an operation that had been done
 * just before the death may be done twice (a put twice, at-least-once) or its result lost (an item taken
 * by the dead member's last poll, at-most-once).
 *
 * <p>Any thread.
 */
public final class ClusterClient implements AutoCloseable {
    /** How long connecting to the cluster may take before {@link ClusterException}, by default. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The system property that sets another bound for {@link #of} (milliseconds, at least 100). */
    public static final String CONNECT_TIMEOUT_PROPERTY = "ipckit.cluster.connectTimeoutMillis";
    /** How long one operation may take (a blocking wait is cut into shorter calls by its caller). */
    public static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(30);
    /** How long a member may be silent before this client drops its connection. */
    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

    private static final Map<String, ClusterClient> CLIENTS = new ConcurrentHashMap<>();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final ClusterAddress address;
    private final HazelcastInstance hazelcast;
    private final Sealer sealer;

    private ClusterClient(ClusterAddress address, HazelcastInstance hazelcast, Sealer sealer) {
        this.address = address;
        this.hazelcast = hazelcast;
        this.sealer = sealer;
    }

    /**
     * This JVM's client of {@code address}, connected now if none is open. Blocks while connecting, at
     * most {@link #connectTimeout()}.
     *
     * @throws ClusterException when no member of the address answers within the bound (or none accepts the
     *                          token)
     * @throws IllegalArgumentException when {@link #CONNECT_TIMEOUT_PROPERTY} is set but not a number of
     *                          milliseconds of at least 100
     */
    public static ClusterClient of(ClusterAddress address) {
        String key = address.toString();
        ClusterClient c = CLIENTS.get(key);
        if (c != null && c.hazelcast.getLifecycleService().isRunning()) {
            return c;
        }
        synchronized (CLIENTS) {
            c = CLIENTS.get(key);
            if (c == null || !c.hazelcast.getLifecycleService().isRunning()) {
                c = connect(address, connectTimeout());
                CLIENTS.put(key, c);
                ExitWatch.ensureStarted();
            }
            return c;
        }
    }

    /**
     * The bound on connecting: {@link #CONNECT_TIMEOUT}, or the system property
     * {@value #CONNECT_TIMEOUT_PROPERTY} (milliseconds) when set, read at each call. Any thread.
     *
     * @throws IllegalArgumentException when the property is not a number of milliseconds of at least 100
     */
    public static Duration connectTimeout() {
        String value = System.getProperty(CONNECT_TIMEOUT_PROPERTY);
        if (value == null || value.isBlank()) {
            return CONNECT_TIMEOUT;
        }
        long millis;
        try {
            millis = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + CONNECT_TIMEOUT_PROPERTY + "=" + value
                    + " is not a number of milliseconds; give one of at least 100, e.g. 2000", e);
        }
        if (millis < 100) {
            throw new IllegalArgumentException("-D" + CONNECT_TIMEOUT_PROPERTY + "=" + value
                    + " is below 100 ms, too short for any member to answer; give at least 100, e.g. 2000");
        }
        return Duration.ofMillis(millis);
    }

    /** A new client of {@code address}, not cached; for tests and tools. */
    public static ClusterClient connect(ClusterAddress address, Duration connectTimeout) {
        return connect(address, connectTimeout, INVOCATION_TIMEOUT);
    }

    /** As {@link #connect(ClusterAddress, Duration)} with another invocation timeout (whole seconds). */
    public static ClusterClient connect(ClusterAddress address, Duration connectTimeout, Duration invocationTimeout) {
        Quiet.logging();
        ClusterKeys keys = ClusterKeys.of(address);
        ClientConfig config = new ClientConfig();
        config.setInstanceName("ipckit-client-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet());
        config.setClusterName(keys.clusterName());
        Quiet.clientProperties(config);
        config.setProperty("hazelcast.client.invocation.timeout.seconds", Long.toString(Math.max(1, invocationTimeout.toSeconds())));
        config.setProperty("hazelcast.client.heartbeat.interval", "1000");
        config.setProperty("hazelcast.client.heartbeat.timeout", Long.toString(HEARTBEAT_TIMEOUT.toMillis()));
        for (ClusterAddress.Member m : address.members()) {
            config.getNetworkConfig().addAddress(m.bareHost() + ":" + m.port());
        }
        config.getNetworkConfig().setConnectionTimeout(2000);
        // Redo an operation whose member died under it (else a take or put fails with
        // TargetDisconnectedException when a member is killed, though its backup takes over).
        config.getNetworkConfig().setRedoOperation(true);
        // Connect in the background and wait here for at most connectTimeout: Hazelcast's own cluster-connect
        // timeout would also end reconnection after a cluster outage (the client shuts itself down), while
        // this client should come back whenever the cluster does.
        ClientConnectionStrategyConfig strategy = config.getConnectionStrategyConfig();
        strategy.setAsyncStart(true).setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.ON);
        strategy.getConnectionRetryConfig().setClusterConnectTimeoutMillis(-1)
                .setInitialBackoffMillis(200).setMaxBackoffMillis(2000).setMultiplier(1.5).setJitter(0.2);
        CountDownLatch connected = new CountDownLatch(1);
        config.addListenerConfig(new ListenerConfig((LifecycleListener) e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.CLIENT_CONNECTED) {
                connected.countDown();
            }
        }));
        long t0 = System.nanoTime();
        HazelcastInstance hz = HazelcastClient.newHazelcastClient(config); // 0.5-0.9 s here: within the bound
        boolean ok;
        try {
            ok = connected.await(Math.max(0, connectTimeout.toNanos() - (System.nanoTime() - t0)), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            hz.shutdown();
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while connecting to cluster " + address.redacted(), e);
        }
        if (!ok) {
            long waited = (System.nanoTime() - t0) / 1_000_000;
            hz.shutdown();
            throw new ClusterException("cannot connect to cluster " + address.redacted() + ": no member answered"
                    + " with this token within " + waited + " ms (bound "
                    + connectTimeout.toMillis() + " ms); start the nodes (ipckit node --cluster ADDRESS) and check"
                    + " that the address, with its #TOKEN, is the nodes' own");
        }
        return new ClusterClient(address, hz, new Sealer(keys));
    }

    public ClusterAddress address() {
        return address;
    }

    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    public Sealer sealer() {
        return sealer;
    }

    /** Shuts the client down and forgets it; idempotent. Blocks briefly. */
    @Override
    public void close() {
        CLIENTS.remove(address.toString(), this);
        hazelcast.shutdown();
    }

    /** Managers and pools of this JVM using this client ({@link #acquire}); guarded by {@code CLIENTS}. */
    private int users;

    /**
     * This JVM's client of {@code address} for a manager or a pool, which {@link #release()}s it when it
     * closes: the client closes with its last user (handles that arrive later connect again). Blocks as
     * {@link #of}.
     */
    public static ClusterClient acquire(ClusterAddress address) {
        synchronized (CLIENTS) {
            ClusterClient c = of(address);
            c.users++;
            return c;
        }
    }

    /** A manager or pool done with this client: the last one closes it. Idempotent per acquire only. */
    public void release() {
        boolean last;
        synchronized (CLIENTS) {
            last = --users <= 0;
        }
        if (last) {
            close();
        }
    }

    /** Whether this JVM has a cached client open. */
    static boolean anyOpen() {
        return !CLIENTS.isEmpty();
    }

    /** Closes every cached client of this JVM (the exit watch, and tests). */
    public static void closeAll() {
        for (ClusterClient c : CLIENTS.values()) {
            c.close();
        }
    }
}
