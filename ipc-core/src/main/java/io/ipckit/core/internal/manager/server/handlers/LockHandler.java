package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.LockProtocol;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;
import io.ipckit.core.internal.manager.server.ObjectHandler;
import io.ipckit.core.internal.manager.server.ServerContext;
import io.ipckit.core.internal.manager.server.Session;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Hosts shared locks, plain (Python's {@code Lock}) and reentrant ({@code RLock}). The owner of a lock is
 * a (client, thread id) pair; a reentrant lock counts the holds of its owner, a plain lock asked again by
 * its owner just waits. Waiters are served first come, first served.
 *
 * <p>The operations and their codes are {@link LockProtocol}'s. Operations (args): {@code acquire(threadId,
 * millis)} answers true when granted, false when {@code millis} (at most one slice) passed first; {@code
 * release(threadId)}; {@code isHeldBy(threadId)}; {@code holdCount(threadId)}; {@code isLocked()}; {@code
 * queueLength()}. Creation arg: reentrant.
 *
 * <p>A client that dies or leaves loses every hold (the next waiter is granted) and its waits are dropped.
 * The {@link ConditionHandler} uses {@link #releaseFully} and {@link #reacquire} for its awaits.
 *
 * <p>Server side: runs on the manager's dispatcher thread only.
 */
public final class LockHandler implements ObjectHandler {

    private final Map<String, LockState> locks = new HashMap<>();
    /** Locks with at least one waiter: the only ones a tick looks at. */
    private final Set<LockState> queued = new LinkedHashSet<>();

    @Override
    public Kind kind() {
        return Kind.LOCK;
    }

    @Override
    public String describe(String name) {
        LockState st = locks.get(name);
        String held = st.holds == 0 ? "free"
                : "held by " + Waiter.who(st.ownerSession, st.ownerThread) + (st.holds > 1 ? " (" + st.holds + " holds)" : "");
        return (st.reentrant ? "reentrant, " : "") + held + Waiter.waiting(st.queue.size());
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) {
        locks.put(name, new LockState(name, reentrantArg(name, args)));
        return null;
    }

    @Override
    public Object reopen(String name, Object[] args, ServerContext ctx) {
        boolean wanted = reentrantArg(name, args);
        LockState st = locks.get(name);
        if (st.reentrant != wanted) {
            throw new IllegalArgumentException("'" + name + "' is a " + describe(st.reentrant) + ", not a "
                    + describe(wanted) + "; use manager." + (st.reentrant ? "rlock" : "lock") + "(\"" + name
                    + "\") or another name");
        }
        return null;
    }

    private static boolean reentrantArg(String name, Object[] args) {
        if (args.length < 1 || !(args[0] instanceof Boolean)) {
            throw new IllegalArgumentException("creating lock '" + name + "' needs one boolean argument "
                    + "(reentrant)");
        }
        return (Boolean) args[0];
    }

    private static String describe(boolean reentrant) {
        return reentrant ? "reentrant lock (rlock)" : "plain lock (lock)";
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) {
        LockState st = locks.get(r.name);
        switch ((LockProtocol) r.operation) {
            case ACQUIRE:
                return acquire(st, client, r.callId, Waiter.longArg(r.arg(0), "threadId"),
                        Waiter.longArg(r.arg(1), "millis"));
            case RELEASE:
                release(st, client, Waiter.longArg(r.arg(0), "threadId"), ctx);
                return null;
            case IS_HELD_BY:
                return st.isOwner(client, Waiter.longArg(r.arg(0), "threadId"));
            case HOLD_COUNT:
                return st.isOwner(client, Waiter.longArg(r.arg(0), "threadId")) ? st.holds : 0;
            case IS_LOCKED:
                return st.holds > 0;
            case QUEUE_LENGTH:
                return st.queue.size();
            default:
                throw new UnsupportedOperationException("lock '" + r.name + "' has no operation " + r.operation.label());
        }
    }

    private Object acquire(LockState st, Session s, long callId, long threadId, long millis) {
        if (st.holds > 0 && st.reentrant && st.isOwner(s, threadId)) {
            if (st.holds == Integer.MAX_VALUE) {
                throw new IllegalStateException("reentrant lock '" + st.name + "': maximum hold count exceeded");
            }
            st.holds++;
            return Boolean.TRUE;
        }
        if (st.holds == 0 && st.queue.isEmpty()) {
            st.grant(s, threadId, 1);
            return Boolean.TRUE;
        }
        if (millis <= 0) {
            return Boolean.FALSE;
        }
        enqueue(st, new LockWaiter(s, callId, threadId, System.nanoTime(), millis, 1, Boolean.TRUE));
        return PENDING;
    }

    private void release(LockState st, Session s, long threadId, ServerContext ctx) {
        requireOwner(st, s, threadId, "unlock");
        st.holds--;
        if (st.holds == 0) {
            st.free();
            grantNext(st, ctx);
        }
    }

    private static void requireOwner(LockState st, Session s, long threadId, String what) {
        if (!st.isOwner(s, threadId)) {
            throw new IllegalMonitorStateException("lock '" + st.name + "': " + what + " by "
                    + Waiter.who(s, threadId) + ", which does not hold it (" + st.ownerText()
                    + "); only the thread that locked it may " + what);
        }
    }

    private void enqueue(LockState st, LockWaiter w) {
        st.queue.addLast(w);
        queued.add(st);
    }

    private static void grantNext(LockState st, ServerContext ctx) {
        while (st.holds == 0 && !st.queue.isEmpty()) {
            LockWaiter w = st.queue.pollFirst();
            st.grant(w.session, w.threadId, w.holds);
            ctx.reply(w.session, w.callId, w.grantValue);
        }
    }

    @Override
    public void onTick(long nowNanos, ServerContext ctx) {
        for (Iterator<LockState> it = queued.iterator(); it.hasNext(); ) {
            LockState st = it.next();
            for (Iterator<LockWaiter> w = st.queue.iterator(); w.hasNext(); ) {
                LockWaiter waiter = w.next();
                if (waiter.expired(nowNanos)) {
                    w.remove();
                    ctx.reply(waiter.session, waiter.callId, Boolean.FALSE);
                }
            }
            if (st.queue.isEmpty()) {
                it.remove();
            }
        }
    }

    @Override
    public void onClientGone(Session client, ServerContext ctx) {
        for (LockState st : locks.values()) {
            st.queue.removeIf(w -> w.of(client));
            if (st.holds > 0 && st.ownerSession.clientId() == client.clientId()) {
                st.free();
                grantNext(st, ctx);
            }
        }
    }

    // ---- for conditions ---------------------------------------------------------------------------

    /** Whether {@code name} is a reentrant lock of this handler (false when it does not exist). */
    boolean isReentrant(String name) {
        LockState st = locks.get(name);
        return st != null && st.reentrant;
    }

    /**
     * Checks that the caller holds lock {@code name}.
     *
     * @throws IllegalMonitorStateException naming {@code what}, the lock and its holder
     */
    void requireHeld(String name, Session s, long threadId, String what) {
        LockState st = locks.get(name);
        if (!st.isOwner(s, threadId)) {
            throw new IllegalMonitorStateException(what + " needs lock '" + name + "' held by the calling "
                    + "thread; " + Waiter.who(s, threadId) + " does not hold it (" + st.ownerText()
                    + "); call lock() first");
        }
    }

    /**
     * Releases every hold of the caller on lock {@code name} (granting the next waiter) and returns how
     * many it had.
     *
     * @throws IllegalMonitorStateException when the caller does not hold it
     */
    int releaseFully(String name, Session s, long threadId, ServerContext ctx) {
        LockState st = locks.get(name);
        requireOwner(st, s, threadId, "release");
        int holds = st.holds;
        st.free();
        grantNext(st, ctx);
        return holds;
    }

    /**
     * Gives lock {@code name} back to a thread with {@code holds} holds, now or when it is free, then
     * answers its pending call {@code callId} with {@code value}. No deadline: the lock must be
     * re-acquired before a condition wait answers.
     */
    void reacquire(String name, Session s, long callId, long threadId, int holds, Object value,
                   ServerContext ctx) {
        LockState st = locks.get(name);
        if (st.holds == 0 && st.queue.isEmpty()) {
            st.grant(s, threadId, holds);
            ctx.reply(s, callId, value);
            return;
        }
        enqueue(st, new LockWaiter(s, callId, threadId, System.nanoTime(), -1, holds, value));
    }

    private static final class LockState {
        final String name;
        final boolean reentrant;
        final ArrayDeque<LockWaiter> queue = new ArrayDeque<>();
        Session ownerSession;
        long ownerThread;
        int holds;

        LockState(String name, boolean reentrant) {
            this.name = name;
            this.reentrant = reentrant;
        }

        boolean isOwner(Session s, long threadId) {
            return holds > 0 && ownerSession.clientId() == s.clientId() && ownerThread == threadId;
        }

        void grant(Session s, long threadId, int count) {
            ownerSession = s;
            ownerThread = threadId;
            holds = count;
        }

        void free() {
            ownerSession = null;
            ownerThread = 0;
            holds = 0;
        }

        String ownerText() {
            return holds == 0 ? "it is not held" : "it is held by " + Waiter.who(ownerSession, ownerThread);
        }
    }

    private static final class LockWaiter extends Waiter {
        final int holds;
        final Object grantValue;

        LockWaiter(Session s, long callId, long threadId, long now, long millis, int holds, Object grantValue) {
            super(s, callId, threadId, now, millis);
            this.holds = holds;
            this.grantValue = grantValue;
        }
    }
}
