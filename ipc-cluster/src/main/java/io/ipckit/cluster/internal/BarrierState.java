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
 *
 * <p>A barrier with an action ends a generation in two steps: the last party's arrival only marks it
 * {@link #tripping} (every party still counted as waiting), that party runs the action in its own process,
 * then {@link Trip} moves the generation on, or breaks it when the action threw. While it trips, a waiter's
 * timeout does not break it ({@link Break} refuses: the action's run extends the wait, as in
 * {@code CyclicBarrier}), an arrival of the next generation is told to come back ({@link #TRIPPING}), and the
 * death of any of its parties, the tripping one included, breaks it ({@link BreakClient}).
 */
final class BarrierState implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@link Arrive}'s index for a caller that came while the generation before its own trips: retry. */
    static final long TRIPPING = -2;

    final int parties;
    /** The action, encoded and sealed for the barrier's name, or null for none; set by the first creator. */
    final byte[] action;
    /** The last party arrived and runs the action; the generation moves on at its {@link Trip}. */
    boolean tripping;
    long generation;
    long brokenGeneration = -1;
    boolean broken;
    String brokenReason;
    /** The clients of the parties waiting in this generation, in arrival order. */
    final ArrayList<UUID> arrived = new ArrayList<>();

    BarrierState(int parties, byte[] action) {
        this.parties = parties;
        this.action = action;
    }

    private void breakNow(String reason) {
        tripping = false;
        broken = true;
        brokenReason = reason;
        brokenGeneration = generation;
        arrived.clear();
    }

    /**
     * Creates the state if absent, with {@code action} (sealed, or null); returns {@code {parties, action}}
     * of the existing or new one (the first creator's action is kept).
     */
    static final class Init implements EntryProcessor<String, BarrierState, Object[]> {
        private static final long serialVersionUID = 1L;
        private final int parties;
        private final byte[] action;

        Init(int parties, byte[] action) {
            this.parties = parties;
            this.action = action;
        }

        @Override
        public Object[] process(Map.Entry<String, BarrierState> entry) {
            BarrierState s = entry.getValue();
            if (s == null) {
                s = new BarrierState(parties, action);
                entry.setValue(s);
            }
            return new Object[] {s.parties, s.action};
        }
    }

    /**
     * Arrives for {@code client}: answers {@code {index, generation, runAction}}, index -1 when the barrier
     * is broken, {@link #TRIPPING} when the generation before the caller's is tripping (come back). The last
     * party's arrival ends the generation, or, with an action, marks it tripping and answers runAction 1: that
     * party runs the action, then {@link Trip}.
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
                return new long[] {-1, s.generation, 0};
            }
            if (s.tripping) {
                return new long[] {TRIPPING, s.generation, 0};
            }
            long gen = s.generation;
            s.arrived.add(client);
            int index = s.arrived.size() - 1;
            long runAction = 0;
            if (s.arrived.size() == s.parties) {
                if (s.action != null) {
                    s.tripping = true;
                    runAction = 1;
                } else {
                    s.arrived.clear();
                    s.generation++;
                }
            }
            entry.setValue(s);
            return new long[] {index, gen, runAction};
        }
    }

    /**
     * The tripping party's end of generation {@code g}, after the action ran: it moves on ({@code failure}
     * null) or breaks with {@code failure} as the reason. Answers whether generation {@code g} was still
     * tripping (false: a reset, an abort or a party's death broke it meanwhile).
     */
    static final class Trip implements EntryProcessor<String, BarrierState, Boolean> {
        private static final long serialVersionUID = 1L;
        private final long g;
        private final String failure;

        Trip(long g, String failure) {
            this.g = g;
            this.failure = failure;
        }

        @Override
        public Boolean process(Map.Entry<String, BarrierState> entry) {
            BarrierState s = entry.getValue();
            if (s.generation != g || !s.tripping) {
                return false;
            }
            if (failure == null) {
                s.tripping = false;
                s.arrived.clear();
                s.generation++;
            } else {
                s.breakNow(failure);
            }
            entry.setValue(s);
            return true;
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

    /**
     * Breaks generation {@code g} if it is still the current one and not tripping (a waiter timed out or was
     * interrupted); answers whether it broke it.
     */
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
            if (s.generation != g || s.broken || s.tripping) {
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
                s.tripping = false;
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
