package io.ipckit.cluster.internal;

import com.hazelcast.map.EntryProcessor;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The whole state of one {@link ClusterSemaphore} in one IMap entry, changed only by the entry processors
 * below on the member that owns it (so each change is atomic): the permits available, and the permits
 * each cluster client acquired and did not release (given back when that client dies).
 */
final class SemaphoreState implements Serializable {
    private static final long serialVersionUID = 1L;

    final int initial;
    final boolean bounded;
    long available;
    final HashMap<UUID, Long> held = new HashMap<>();

    SemaphoreState(int initial, boolean bounded) {
        this.initial = initial;
        this.bounded = bounded;
        this.available = initial;
    }

    /** Creates the state if absent; returns the existing or new state's {@code {initial, bounded ? 1 : 0}}. */
    static final class Init implements EntryProcessor<String, SemaphoreState, int[]> {
        private static final long serialVersionUID = 1L;
        private final int permits;
        private final boolean bounded;

        Init(int permits, boolean bounded) {
            this.permits = permits;
            this.bounded = bounded;
        }

        @Override
        public int[] process(Map.Entry<String, SemaphoreState> entry) {
            SemaphoreState s = entry.getValue();
            if (s == null) {
                s = new SemaphoreState(permits, bounded);
                entry.setValue(s);
            }
            return new int[] {s.initial, s.bounded ? 1 : 0};
        }
    }

    /** Takes {@code n} permits for {@code client} if that many are available. */
    static final class Acquire implements EntryProcessor<String, SemaphoreState, Boolean> {
        private static final long serialVersionUID = 1L;
        private final UUID client;
        private final int n;

        Acquire(UUID client, int n) {
            this.client = client;
            this.n = n;
        }

        @Override
        public Boolean process(Map.Entry<String, SemaphoreState> entry) {
            SemaphoreState s = entry.getValue();
            if (s == null || s.available < n) {
                return false;
            }
            s.available -= n;
            s.held.merge(client, (long) n, Long::sum);
            entry.setValue(s);
            return true;
        }
    }

    /** Gives back {@code n} permits; false (nothing changed) when a bounded semaphore would exceed its size. */
    static final class Release implements EntryProcessor<String, SemaphoreState, Boolean> {
        private static final long serialVersionUID = 1L;
        private final UUID client;
        private final int n;

        Release(UUID client, int n) {
            this.client = client;
            this.n = n;
        }

        @Override
        public Boolean process(Map.Entry<String, SemaphoreState> entry) {
            SemaphoreState s = entry.getValue();
            if (s == null || (s.bounded && s.available + n > s.initial)) {
                return false;
            }
            s.available += n;
            Long h = s.held.get(client);
            if (h != null) {
                if (h <= n) {
                    s.held.remove(client);
                } else {
                    s.held.put(client, h - n);
                }
            }
            entry.setValue(s);
            return true;
        }
    }

    /** Takes every available permit for {@code client}; returns how many. */
    static final class Drain implements EntryProcessor<String, SemaphoreState, Long> {
        private static final long serialVersionUID = 1L;
        private final UUID client;

        Drain(UUID client) {
            this.client = client;
        }

        @Override
        public Long process(Map.Entry<String, SemaphoreState> entry) {
            SemaphoreState s = entry.getValue();
            if (s == null || s.available <= 0) {
                return 0L;
            }
            long n = s.available;
            s.available = 0;
            s.held.merge(client, n, Long::sum);
            entry.setValue(s);
            return n;
        }
    }

    /** Gives back every permit a dead client held; returns how many (0 on every later run). */
    static final class ReleaseClient implements EntryProcessor<String, SemaphoreState, Long> {
        private static final long serialVersionUID = 1L;
        private final UUID client;

        ReleaseClient(UUID client) {
            this.client = client;
        }

        @Override
        public Long process(Map.Entry<String, SemaphoreState> entry) {
            SemaphoreState s = entry.getValue();
            Long h = s == null ? null : s.held.remove(client);
            if (h == null) {
                return 0L;
            }
            s.available += h;
            entry.setValue(s);
            return h;
        }
    }
}
