package io.ipckit.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.query.Predicate;

import java.io.Serializable;
import java.util.Map;
import java.util.UUID;

/**
 * What one process took from one cluster queue, in one entry of the IMap {@value #MAP} (key
 * {@code queue + "|" + client UUID}): its host and pid, its cluster client, its counts of items taken and
 * marked done, and whether the nodes saw its client go ({@link MarkDead}, by {@link ClientDeaths}). Written
 * by the process itself ({@link ConsumerTally}); immutable.
 */
final class ConsumerState implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The IMap of every cluster queue's consumers. */
    static final String MAP = "ipckit.queue.consumers";

    final String queue;
    final String host;
    final long pid;
    final UUID client;
    final long taken;
    final long done;
    final boolean dead;

    ConsumerState(String queue, String host, long pid, UUID client, long taken, long done, boolean dead) {
        this.queue = queue;
        this.host = host;
        this.pid = pid;
        this.client = client;
        this.taken = taken;
        this.done = done;
        this.dead = dead;
    }

    static String key(String queue, UUID client) {
        return queue + "|" + client;
    }

    /** On a node: marks the entries of a client that is gone as dead. */
    static final class MarkDead implements EntryProcessor<String, ConsumerState, Void> {
        private static final long serialVersionUID = 1L;
        private final UUID client;

        MarkDead(UUID client) {
            this.client = client;
        }

        @Override
        public Void process(Map.Entry<String, ConsumerState> e) {
            ConsumerState s = e.getValue();
            if (s != null && client.equals(s.client) && !s.dead) {
                e.setValue(new ConsumerState(s.queue, s.host, s.pid, s.client, s.taken, s.done, true));
            }
            return null;
        }
    }

    /** The entries of one queue. */
    static final class OfQueue implements Predicate<String, ConsumerState> {
        private static final long serialVersionUID = 1L;
        private final String queue;

        OfQueue(String queue) {
            this.queue = queue;
        }

        @Override
        public boolean apply(Map.Entry<String, ConsumerState> e) {
            return e.getValue() != null && queue.equals(e.getValue().queue);
        }
    }
}
