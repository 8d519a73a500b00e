package io.ipckit.cluster.internal;

import com.hazelcast.map.EntryProcessor;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.UUID;

/**
 * The whole state of one {@link ClusterCondition} in one IMap entry, changed only by the entry processors
 * below on the member that owns it: the waiters' tickets in arrival order (with their cluster client, so a
 * dead client's tickets go and no signal is spent on them), and the tickets signalled and not yet seen.
 */
final class ConditionState implements Serializable {
    private static final long serialVersionUID = 1L;

    final ArrayList<UUID> waiting = new ArrayList<>();
    final ArrayList<UUID> clients = new ArrayList<>();
    final HashSet<UUID> signalled = new HashSet<>();

    /** Adds a waiter's ticket. */
    static final class Enqueue implements EntryProcessor<String, ConditionState, Void> {
        private static final long serialVersionUID = 1L;
        private final UUID ticket;
        private final UUID client;

        Enqueue(UUID ticket, UUID client) {
            this.ticket = ticket;
            this.client = client;
        }

        @Override
        public Void process(Map.Entry<String, ConditionState> entry) {
            ConditionState s = entry.getValue() == null ? new ConditionState() : entry.getValue();
            s.waiting.add(ticket);
            s.clients.add(client);
            entry.setValue(s);
            return null;
        }
    }

    /** Signals the longest waiter ({@code all} false) or every waiter; returns how many. */
    static final class Signal implements EntryProcessor<String, ConditionState, Integer> {
        private static final long serialVersionUID = 1L;
        private final boolean all;

        Signal(boolean all) {
            this.all = all;
        }

        @Override
        public Integer process(Map.Entry<String, ConditionState> entry) {
            ConditionState s = entry.getValue();
            if (s == null || s.waiting.isEmpty()) {
                return 0;
            }
            int n = all ? s.waiting.size() : 1;
            for (int i = 0; i < n; i++) {
                s.signalled.add(s.waiting.remove(0));
                s.clients.remove(0);
            }
            entry.setValue(s);
            return n;
        }
    }

    /**
     * Whether {@code ticket} was signalled (then forgets it); with {@code leave}, a ticket not signalled is
     * withdrawn (a timeout, an interrupt): the answer says whether a signal came first.
     */
    static final class Take implements EntryProcessor<String, ConditionState, Boolean> {
        private static final long serialVersionUID = 1L;
        private final UUID ticket;
        private final boolean leave;

        Take(UUID ticket, boolean leave) {
            this.ticket = ticket;
            this.leave = leave;
        }

        @Override
        public Boolean process(Map.Entry<String, ConditionState> entry) {
            ConditionState s = entry.getValue();
            if (s == null) {
                return false;
            }
            if (s.signalled.remove(ticket)) {
                entry.setValue(s);
                return true;
            }
            if (leave) {
                int i = s.waiting.indexOf(ticket);
                if (i >= 0) {
                    s.waiting.remove(i);
                    s.clients.remove(i);
                    entry.setValue(s);
                }
            }
            return false;
        }
    }

    /** On a node: withdraws the tickets of a dead client. */
    static final class DropClient implements EntryProcessor<String, ConditionState, Void> {
        private static final long serialVersionUID = 1L;
        private final UUID client;

        DropClient(UUID client) {
            this.client = client;
        }

        @Override
        public Void process(Map.Entry<String, ConditionState> entry) {
            ConditionState s = entry.getValue();
            if (s == null || !s.clients.contains(client)) {
                return null;
            }
            for (int i = s.clients.size() - 1; i >= 0; i--) {
                if (s.clients.get(i).equals(client)) {
                    s.clients.remove(i);
                    s.waiting.remove(i);
                }
            }
            entry.setValue(s);
            return null;
        }
    }
}
