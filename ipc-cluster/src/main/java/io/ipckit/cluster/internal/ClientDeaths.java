package io.ipckit.cluster.internal;

import com.hazelcast.client.Client;
import com.hazelcast.client.ClientListener;
import com.hazelcast.core.HazelcastInstance;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * On a node: gives back the semaphore permits of a client that is gone, breaks the barriers it waited at, withdraws its
 * condition waits, marks it dead among the consumers of the queues it took from, and removes the result queues
 * of its pools ({@link io.ipckit.cluster.internal.pool.DeadCallers}). When a client's connection to this
 * member closes, it waits the client timeout; if the client has not reconnected to this member by then
 * (a live smart client reconnects within its 2 s backoff), it releases the client's permits in every
 * semaphore (idempotent: every member the client was connected to may do it, the first one does).
 * {@link #close()} stops the timer thread.
 */
public final class ClientDeaths implements ClientListener, AutoCloseable {
    private final HazelcastInstance member;
    private final long delayMillis;
    private final ScheduledExecutorService timer;

    private ClientDeaths(HazelcastInstance member, Duration delay) {
        this.member = member;
        this.delayMillis = delay.toMillis();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ipckit-cluster-client-deaths");
            t.setDaemon(true);
            return t;
        });
    }

    /** Watches the clients of {@code member}. */
    public static ClientDeaths install(HazelcastInstance member, Duration delay) {
        ClientDeaths d = new ClientDeaths(member, delay);
        member.getClientService().addClientListener(d);
        return d;
    }

    @Override
    public void clientConnected(Client client) {
        // nothing to do
    }

    @Override
    public void clientDisconnected(Client client) {
        UUID id = client.getUuid();
        timer.schedule(() -> releaseIfGone(id), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void releaseIfGone(UUID id) {
        try {
            if (!member.getLifecycleService().isRunning()
                    || member.getClientService().getConnectedClients().stream().anyMatch(c -> c.getUuid().equals(id))) {
                return;
            }
            member.<String, SemaphoreState>getMap(Names.SEMAPHORES).executeOnEntries(new SemaphoreState.ReleaseClient(id));
            member.<String, BarrierState>getMap(ClusterBarrier.BARRIERS).executeOnEntries(new BarrierState.BreakClient(id));
            member.<String, ConditionState>getMap(ClusterCondition.CONDITIONS).executeOnEntries(new ConditionState.DropClient(id));
            member.<String, ConsumerState>getMap(ConsumerState.MAP).executeOnEntries(new ConsumerState.MarkDead(id));
            io.ipckit.cluster.internal.pool.DeadCallers.dropClient(member, id);
        } catch (RuntimeException e) {
            // the member is shutting down, or the cluster is in trouble: another member does it
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
