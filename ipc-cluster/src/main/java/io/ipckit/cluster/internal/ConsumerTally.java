package io.ipckit.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This process's counts of one cluster queue's items taken and marked done, one per Hazelcast instance and
 * queue, written to the cluster ({@link ConsumerState}) without slowing takes down: a take adds to a local
 * counter, and at most one asynchronous write of the counts is under way at a time, the next one
 * {@value #PAUSE_MILLIS} ms after the last completed (so the cluster's counts lag by at most that plus one
 * write; the first take of a process is written at once). Any thread; never blocks but {@link #flushNow()}.
 * The pause runs on the JDK's shared delayed executor (no thread of its own).
 */
final class ConsumerTally {
    static final long PAUSE_MILLIS = 100;
    private static final Map<String, ConsumerTally> TALLIES = new ConcurrentHashMap<>();
    private static final String HOST = hostName();

    private final String queue;
    private final String key;
    private final UUID client;
    private final IMap<String, ConsumerState> map;
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicBoolean writing = new AtomicBoolean();

    private ConsumerTally(String queue, UUID client, IMap<String, ConsumerState> map) {
        this.queue = queue;
        this.client = client;
        this.key = ConsumerState.key(queue, client);
        this.map = map;
    }

    /** The tally of queue {@code queue} for {@code hazelcast}'s process (made on first use, no cluster call). */
    static ConsumerTally of(HazelcastInstance hazelcast, String queue) {
        UUID id = hazelcast.getLocalEndpoint().getUuid();
        return TALLIES.computeIfAbsent(ConsumerState.key(queue, id),
                k -> new ConsumerTally(queue, id, hazelcast.getMap(ConsumerState.MAP)));
    }

    /** This host's name as the consumers' entries give it. */
    static String host() {
        return HOST;
    }

    /** {@code n} items taken here. */
    void took(int n) {
        if (n > 0) {
            taken.addAndGet(n);
            writeSoon();
        }
    }

    /** One item marked done here. */
    void markedDone() {
        done.incrementAndGet();
        writeSoon();
    }

    /** Writes the counts now when anything was taken or done here (one cluster call). */
    void flushNow() {
        if (taken.get() > 0 || done.get() > 0) {
            map.set(key, state());
        }
    }

    private ConsumerState state() {
        return new ConsumerState(queue, HOST, ProcessHandle.current().pid(), client, taken.get(), done.get(), false);
    }

    private void writeSoon() {
        if (writing.compareAndSet(false, true)) {
            write();
        }
    }

    private void write() {
        ConsumerState s = state();
        try {
            map.setAsync(key, s).whenComplete((v, error) -> {
                if (error != null) {
                    writing.set(false); // the cluster is unreachable: the next take tries again
                    return;
                }
                CompletableFuture.delayedExecutor(PAUSE_MILLIS, TimeUnit.MILLISECONDS).execute(() -> after(s));
            });
        } catch (RuntimeException e) {
            writing.set(false);
        }
    }

    private void after(ConsumerState written) {
        if (taken.get() != written.taken || done.get() != written.done) {
            write();
            return;
        }
        writing.set(false);
        if (taken.get() != written.taken || done.get() != written.done) {
            writeSoon(); // changed between the check and the release
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
