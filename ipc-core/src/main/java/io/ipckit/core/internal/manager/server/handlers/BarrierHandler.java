package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.internal.manager.DispatcherThread;
import io.ipckit.core.internal.manager.protocol.BarrierProtocol;
import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;
import io.ipckit.core.internal.manager.server.ObjectHandler;
import io.ipckit.core.internal.manager.server.ServerContext;
import io.ipckit.core.internal.manager.server.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hosts shared barriers (Python's {@code Barrier}). A party is a (client, thread id) pair; its arrival
 * lasts across the slices of its client's wait, so the manager alone decides whether it passed, timed
 * out or saw the barrier break.
 *
 * <p>The operations and their codes are {@link BarrierProtocol}'s. Operations (args): {@code await(threadId,
 * timeoutMillis, sliceMillis)} arrives ({@code timeoutMillis < 0}: no timeout) and answers the arrival
 * index (0 for the first, {@code parties - 1} for the one that trips the barrier), or {@link
 * BarrierProtocol#WAITING} when the slice passed first; {@code continue(threadId, sliceMillis)} goes on
 * waiting; {@code abandon(threadId)} (the waiter was interrupted) answers the index when the barrier
 * tripped meanwhile, else breaks it and answers {@link BarrierProtocol#WAITING}; {@code reset()}; {@code
 * abort()}; {@code isBroken()}; {@code numberWaiting()}; {@code parties()}. Creation args: parties, and
 * optionally the action: a {@link Runnable} run here, on the dispatcher thread, once per generation when
 * the last party arrives and before any passes (Python's managed {@code Barrier(parties, action)} runs it
 * in the manager too); when it throws, the barrier breaks, the party that tripped it gets a
 * {@link BrokenBarrierException} caused by the action's exception, and the others a plain one.
 *
 * <p>The barrier breaks ({@link BrokenBarrierException} for the waiters, and for every arrival until
 * {@code reset}) when a waiter times out (it gets {@link TimeoutException}), is interrupted, or its
 * process dies or leaves, and on {@code abort}; {@code reset} breaks the current waiters only.
 *
 * <p>Server side: runs on the manager's dispatcher thread only.
 */
public final class BarrierHandler implements ObjectHandler {
    /** Answer of an await or continue whose slice passed before the barrier tripped: ask again. */
    private static final int WAITING = BarrierProtocol.WAITING;

    private final Map<String, BarrierState> barriers = new HashMap<>();
    private final Set<BarrierState> active = new LinkedHashSet<>();

    @Override
    public Kind kind() {
        return Kind.BARRIER;
    }

    @Override
    public String describe(String name) {
        BarrierState b = barriers.get(name);
        return b.arrived.size() + " of " + b.parties + " parties waiting" + (b.broken ? ", broken: " + b.brokenReason : "");
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) {
        barriers.put(name, new BarrierState(name, partiesArg(name, args), actionArg(name, args)));
        return null;
    }

    @Override
    public Object reopen(String name, Object[] args, ServerContext ctx) {
        int parties = partiesArg(name, args);
        BarrierState st = barriers.get(name);
        if (st.parties != parties) {
            throw new IllegalArgumentException("barrier '" + name + "' exists for " + st.parties
                    + " parties, not " + parties + "; open it with " + st.parties + " or use another name");
        }
        if ((actionArg(name, args) != null) != (st.action != null)) {
            throw new IllegalArgumentException("barrier '" + name + "' exists " + (st.action != null ? "with" : "without")
                    + " an action; open it " + (st.action != null ? "with one (the first creator's is kept)" : "without one")
                    + " or use another name");
        }
        return null;
    }

    /** The action of a barrier being created (arg 1, optional): a Runnable, or null. */
    private static Runnable actionArg(String name, Object[] args) {
        if (args.length < 2 || args[1] == null) {
            return null;
        }
        if (!(args[1] instanceof Runnable)) {
            throw new IllegalArgumentException("barrier '" + name + "': the action must be a Runnable, was "
                    + args[1].getClass().getName());
        }
        return (Runnable) args[1];
    }

    private static int partiesArg(String name, Object[] args) {
        if (args.length < 1 || !(args[0] instanceof Integer)) {
            throw new IllegalArgumentException("creating barrier '" + name + "' needs (int parties)");
        }
        int parties = (Integer) args[0];
        if (parties < 1) {
            throw new IllegalArgumentException("barrier '" + name + "': parties must be >= 1, was " + parties);
        }
        return parties;
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) throws Exception {
        BarrierState st = barriers.get(r.name);
        switch ((BarrierProtocol) r.operation) {
            case AWAIT:
                return arrive(st, client, r, ctx);
            case CONTINUE: {
                long threadId = Waiter.longArg(r.arg(0), "threadId");
                Party p = st.byKey.get(new Key(client.clientId(), threadId));
                if (p == null) {
                    throw new IllegalStateException("barrier '" + st.name + "': " + Waiter.who(client, threadId)
                            + " has no wait in progress");
                }
                if (p.outcome != null) {
                    return collect(st, p);
                }
                p.pending = new Waiter(client, r.callId, threadId, System.nanoTime(),
                        Waiter.longArg(r.arg(1), "sliceMillis"));
                return PENDING;
            }
            case ABANDON:
                return abandon(st, client, Waiter.longArg(r.arg(0), "threadId"), ctx);
            case RESET:
                if (!st.arrived.isEmpty()) {
                    breakBarrier(st, "it was reset while " + st.arrived.size() + " of " + st.parties
                            + " parties waited", ctx);
                }
                st.broken = false;
                st.brokenReason = null;
                return null;
            case ABORT:
                breakBarrier(st, "it was aborted", ctx);
                return null;
            case IS_BROKEN:
                return st.broken;
            case NUMBER_WAITING:
                return st.arrived.size();
            case PARTIES:
                return st.parties;
            default:
                throw new UnsupportedOperationException("barrier '" + r.name + "' has no operation " + r.operation.label());
        }
    }

    private Object arrive(BarrierState st, Session client, Request r, ServerContext ctx) throws Exception {
        long threadId = Waiter.longArg(r.arg(0), "threadId");
        long timeoutMillis = Waiter.longArg(r.arg(1), "timeoutMillis");
        long sliceMillis = Waiter.longArg(r.arg(2), "sliceMillis");
        Key key = new Key(client.clientId(), threadId);
        Party old = st.byKey.get(key);
        if (old != null) {
            if (old.outcome == null) {
                throw new IllegalStateException("barrier '" + st.name + "': " + Waiter.who(client, threadId)
                        + " already waits at it");
            }
            st.byKey.remove(key); // the outcome of a wait its caller gave up on
        }
        if (st.broken) {
            throw st.brokenException();
        }
        long now = System.nanoTime();
        Party p = new Party(client, threadId, st.arrived.size(), timeoutMillis, now);
        st.arrived.add(p);
        st.byKey.put(key, p);
        if (st.arrived.size() == st.parties) {
            Throwable failed = runAction(st, ctx);
            if (failed != null) {
                BrokenBarrierException tripper = new BrokenBarrierException("barrier '" + st.name + "': its action,"
                        + " run in the manager when this party tripped it, threw " + failed + "; the barrier is broken,"
                        + " reset() it to use it again");
                tripper.initCause(failed);
                p.outcome = tripper;
                breakBarrier(st, "its action threw " + failed, ctx);
                return collect(st, p);
            }
            List<Party> all = new ArrayList<>(st.arrived);
            st.arrived.clear();
            for (Party each : all) {
                each.outcome = each.index;
                deliver(st, each, ctx);
            }
            return collect(st, p);
        }
        active.add(st);
        if (timeoutMillis == 0) {
            timeOut(st, p, ctx);
            return collect(st, p);
        }
        p.pending = new Waiter(client, r.callId, threadId, now, sliceMillis);
        return PENDING;
    }

    /**
     * Runs the barrier's action, once per generation, before any party passes (as Python's and
     * {@code CyclicBarrier}'s do); on this dispatcher thread, so the manager serves nothing else meanwhile.
     *
     * @return what the action threw, or null
     */
    private static Throwable runAction(BarrierState st, ServerContext ctx) {
        if (st.action == null) {
            return null;
        }
        try {
            DispatcherThread.call(ctx.directory(), () -> {
                st.action.run();
                return null;
            });
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private Object abandon(BarrierState st, Session client, long threadId, ServerContext ctx) {
        Party p = st.byKey.remove(new Key(client.clientId(), threadId));
        if (p == null) {
            return WAITING;
        }
        if (p.outcome != null) {
            return p.outcome instanceof Integer ? p.outcome : WAITING;
        }
        st.arrived.remove(p);
        breakBarrier(st, "a waiting party (" + Waiter.who(client, threadId) + ") was interrupted", ctx);
        return WAITING;
    }

    /** Removes a finished party and answers its outcome. */
    private static Object collect(BarrierState st, Party p) throws Exception {
        st.byKey.remove(new Key(p.session.clientId(), p.threadId));
        if (p.outcome instanceof Exception) {
            throw (Exception) p.outcome;
        }
        return p.outcome;
    }

    /** Answers a finished party's pending call; without one, its outcome waits for its next call. */
    private static void deliver(BarrierState st, Party p, ServerContext ctx) {
        if (p.pending == null) {
            return;
        }
        Waiter w = p.pending;
        p.pending = null;
        st.byKey.remove(new Key(p.session.clientId(), p.threadId));
        if (p.outcome instanceof Throwable) {
            ctx.fail(w.session, w.callId, (Throwable) p.outcome);
        } else {
            ctx.reply(w.session, w.callId, p.outcome);
        }
    }

    private static void breakBarrier(BarrierState st, String reason, ServerContext ctx) {
        st.broken = true;
        st.brokenReason = reason;
        List<Party> all = new ArrayList<>(st.arrived);
        st.arrived.clear();
        for (Party p : all) {
            if (p.outcome == null) {
                p.outcome = st.brokenException();
            }
            deliver(st, p, ctx);
        }
    }

    private static void timeOut(BarrierState st, Party p, ServerContext ctx) {
        String who = Waiter.who(p.session, p.threadId);
        p.outcome = new TimeoutException("barrier '" + st.name + "': " + who + " timed out after "
                + p.timeoutMillis + " ms with " + st.arrived.size() + " of " + st.parties
                + " parties arrived; the barrier is now broken, reset() it to use it again");
        breakBarrier(st, "a waiting party (" + who + ") timed out", ctx);
    }

    @Override
    public void onTick(long nowNanos, ServerContext ctx) {
        for (Iterator<BarrierState> it = active.iterator(); it.hasNext(); ) {
            BarrierState st = it.next();
            for (Party p : new ArrayList<>(st.arrived)) {
                if (p.outcome != null) {
                    continue;
                }
                if (p.timedOut(nowNanos)) {
                    timeOut(st, p, ctx);
                    break; // every other waiter is broken now
                }
                if (p.pending != null && p.pending.expired(nowNanos)) {
                    Waiter w = p.pending;
                    p.pending = null;
                    ctx.reply(w.session, w.callId, WAITING);
                }
            }
            if (st.arrived.isEmpty()) {
                it.remove();
            }
        }
    }

    @Override
    public void onClientGone(Session client, ServerContext ctx) {
        for (BarrierState st : barriers.values()) {
            st.byKey.values().removeIf(p -> p.session.clientId() == client.clientId());
            if (st.arrived.removeIf(p -> p.session.clientId() == client.clientId())) {
                breakBarrier(st, "the process of a waiting party (pid " + client.pid() + ") died or left", ctx);
            }
        }
    }

    private static final class BarrierState {
        final String name;
        final int parties;
        /** Run in the manager when the barrier trips, before the parties pass; null for none. */
        final Runnable action;
        /** Parties of the current generation, in arrival order. */
        final List<Party> arrived = new ArrayList<>();
        /** Every party with a wait in progress, including finished ones whose outcome is not collected. */
        final Map<Key, Party> byKey = new HashMap<>();
        boolean broken;
        String brokenReason;

        BarrierState(String name, int parties, Runnable action) {
            this.name = name;
            this.parties = parties;
            this.action = action;
        }

        BrokenBarrierException brokenException() {
            return new BrokenBarrierException("barrier '" + name + "' is broken: " + brokenReason
                    + "; reset() it to use it again");
        }
    }

    private static final class Party {
        final Session session;
        final long threadId;
        final int index;
        final long timeoutMillis;
        final long deadline;
        /** The call to answer, or null between slices. */
        Waiter pending;
        /** Integer index, or the exception to throw; null while waiting. */
        Object outcome;

        Party(Session session, long threadId, int index, long timeoutMillis, long now) {
            this.session = session;
            this.threadId = threadId;
            this.index = index;
            this.timeoutMillis = timeoutMillis;
            this.deadline = timeoutMillis < 0 ? 0 : now + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        }

        boolean timedOut(long now) {
            return timeoutMillis >= 0 && now - deadline >= 0;
        }
    }

    private static final class Key {
        final long clientId;
        final long threadId;

        Key(long clientId, long threadId) {
            this.clientId = clientId;
            this.threadId = threadId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).clientId == clientId && ((Key) o).threadId == threadId;
        }

        @Override
        public int hashCode() {
            return Objects.hash(clientId, threadId);
        }
    }
}
