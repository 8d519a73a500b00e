package io.ipckit.cluster.internal;

import com.hazelcast.map.EntryProcessor;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;

/**
 * The whole state of one {@link ClusterBarrier} in one IMap entry, changed only by the entry processors
 * below on the member that owns it (so each change is atomic). A generation ends when its last party
 * arrives ({@link #generation} moves on) or when it breaks ({@link #brokenGeneration} names it): a waiter of
 * generation {@code g} has passed once {@code generation > g} and {@code brokenGeneration != g}.
 */
final class BarrierState implements Serializable {
    private static final long serialVersionUID = 1L;

    final int parties;
    long generation;
    long brokenGeneration = -1;
    boolean broken;
    String brokenReason;
    /** The clients of the parties waiting in this generation, in arrival order. */
    final ArrayList<UUID> arrived = new ArrayList<>();

    BarrierState(int parties) {
        this.parties = parties;
    }

    private void breakNow(String reason) {
        broken = true;
        brokenReason = reason;
        brokenGeneration = generation;
        arrived.clear();
    }

    /** Creates the state if absent; returns the parties of the existing or new one. */
    static final class Init implements EntryProcessor<String, BarrierState, Integer> {
        private static final long serialVersionUID = 1L;
        private final int parties;

        Init(int parties) {
            this.parties = parties;
        }

        @Override
        public Integer process(Map.Entry<String, BarrierState> entry) {
            BarrierState s = entry.getValue();
            if (s == null) {
                s = new BarrierState(parties);
                entry.setValue(s);
            }
            return s.parties;
        }
    }

    /**
     * Arrives for {@code client}: answers {@code {index, generation}}, index -1 when the barrier is broken;
     * the last party's arrival ends the generation.
     */
    static final class Arrive implements EntryProcessor<String, BarrierState, long[]> {
        private static final long serialVersionUID = 1L;
        private final UUID client;

        Arrive(UUID client) {
            this.client = client;
        }

        @Override
        public long[] process(Map.Entry<String, BarrierState> entry) {
            BarrierState s = entry.getValue();
            if (s.broken) {
                return new long[] {-1, s.generation};
            }
            long gen = s.generation;
            s.arrived.add(client);
            int index = s.arrived.size() - 1;
            if (s.arrived.size() == s.parties) {
                s.arrived.clear();
                s.generation++;
            }
            entry.setValue(s);
            return new long[] {index, gen};
        }
    }

    /** What a waiter of generation {@code g} sees: 1 passed, -1 broken (with the reason), 0 still waiting. */
    static final class Look implements EntryProcessor<String, BarrierState, Object[]> {
        private static final long serialVersionUID = 1L;
        private final long g;

        Look(long g) {
            this.g = g;
        }

        @Override
        public Object[] process(Map.Entry<String, BarrierState> entry) {
            BarrierState s = entry.getValue();
            if (s.brokenGeneration == g) {
                return new Object[] {-1, s.brokenReason};
            }
            return new Object[] {s.generation > g ? 1 : 0, null};
        }
    }

    /** Breaks generation {@code g} if it is still the current one (a waiter timed out, was interrupted, died...). */
    static final class Break implements EntryProcessor<String, BarrierState, Boolean> {
        private static final long serialVersionUID = 1L;
        private final long g;
        private final String reason;

        Break(long g, String reason) {
            this.g = g;
            this.reason = reason;
        }

        @Override
        public Boolean process(Map.Entry<String, BarrierState> entry) {
            BarrierState s = entry.getValue();
            if (s.generation != g || s.broken) {
                return false;
            }
            s.breakNow(reason);
            entry.setValue(s);
            return true;
        }
    }

    /** {@code abort()} ({@code reset} false) or {@code reset()}: breaks the waiters of now; reset makes it usable. */
    static final class Reset implements EntryProcessor<String, BarrierState, Void> {
        private static final long serialVersionUID = 1L;
        private final boolean reset;

        Reset(boolean reset) {
            this.reset = reset;
        }

        @Override
        public Void process(Map.Entry<String, BarrierState> entry) {
            BarrierState s = entry.getValue();
            if (reset) {
                if (!s.arrived.isEmpty()) {
                    s.breakNow("it was reset while " + s.arrived.size() + " of " + s.parties + " parties waited");
                }
                s.generation++;
                s.broken = false;
                s.brokenReason = null;
            } else if (!s.broken) {
                s.breakNow("it was aborted");
            }
            entry.setValue(s);
            return null;
        }
    }

    /** On a node: breaks every barrier a dead client was waiting at. */
    static final class BreakClient implements EntryProcessor<String, BarrierState, Void> {
        private static final long serialVersionUID = 1L;
        private final UUID client;

        BreakClient(UUID client) {
            this.client = client;
        }

        @Override
        public Void process(Map.Entry<String, BarrierState> entry) {
            BarrierState s = entry.getValue();
            if (s != null && !s.broken && s.arrived.contains(client)) {
                s.breakNow("the process of a waiting party (cluster client " + client + ") died or left");
                entry.setValue(s);
            }
            return null;
        }
    }

    /** {@code {parties, waiting, broken ? 1 : 0}}. */
    static final class Read implements EntryProcessor<String, BarrierState, int[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public int[] process(Map.Entry<String, BarrierState> entry) {
            BarrierState s = entry.getValue();
            return new int[] {s.parties, s.arrived.size(), s.broken ? 1 : 0};
        }
    }
}
