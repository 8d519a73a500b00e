package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.internal.manager.protocol.ConditionProtocol;
import io.ipckit.core.internal.manager.protocol.Kind;
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
 * Hosts shared conditions, each bound to a reentrant lock of the {@link LockHandler} named at creation.
 *
 * <p>The operations and their codes are {@link ConditionProtocol}'s. Operations (args): {@code await(threadId,
 * millis)} releases every hold of the caller on the lock, waits for a signal or {@code millis} (at most one
 * slice), re-acquires the lock with the same holds and only then answers: true when signalled, false when
 * the time passed; {@code signal(threadId)} and {@code signalAll(threadId)} answer how many waiters they
 * woke. All three need the lock held by the caller ({@link IllegalMonitorStateException} otherwise).
 * Creation arg: the lock's name.
 *
 * <p>A client that dies or leaves has its waits dropped (its lock holds are released by the lock handler).
 *
 * <p>Server side: runs on the manager's dispatcher thread only.
 */
public final class ConditionHandler implements ObjectHandler {
    private final LockHandler locks;
    private final Map<String, CondState> conditions = new HashMap<>();
    private final Set<CondState> waiting = new LinkedHashSet<>();

    public ConditionHandler(LockHandler locks) {
        this.locks = locks;
    }

    @Override
    public Kind kind() {
        return Kind.CONDITION;
    }

    @Override
    public String describe(String name) {
        CondState c = conditions.get(name);
        return "on lock '" + c.lockName + "'" + Waiter.waiting(c.queue.size());
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) {
        String lockName = lockArg(name, args);
        Kind kind = ctx.kindOf(lockName);
        if (kind == null) {
            throw new IllegalArgumentException("condition '" + name + "' needs the reentrant lock '" + lockName
                    + "', which does not exist; create it first with manager.rlock(\"" + lockName + "\")");
        }
        if (kind != Kind.LOCK) {
            throw new IllegalArgumentException("condition '" + name + "' needs a reentrant lock, but '"
                    + lockName + "' is a " + kind.label() + "; create one with manager.rlock(name)");
        }
        if (!locks.isReentrant(lockName)) {
            throw new IllegalArgumentException("condition '" + name + "' needs a reentrant lock, but '"
                    + lockName + "' is a plain lock (manager.lock); use a lock made by manager.rlock(name)");
        }
        conditions.put(name, new CondState(name, lockName));
        return null;
    }

    @Override
    public Object reopen(String name, Object[] args, ServerContext ctx) {
        String lockName = lockArg(name, args);
        CondState st = conditions.get(name);
        if (!st.lockName.equals(lockName)) {
            throw new IllegalArgumentException("condition '" + name + "' is bound to lock '" + st.lockName
                    + "', not to '" + lockName + "'; use manager.condition(\"" + name + "\", \"" + st.lockName
                    + "\") or another name");
        }
        return null;
    }

    private static String lockArg(String name, Object[] args) {
        if (args.length < 1 || !(args[0] instanceof String)) {
            throw new IllegalArgumentException("creating condition '" + name + "' needs the name of its "
                    + "reentrant lock");
        }
        return (String) args[0];
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) {
        CondState st = conditions.get(r.name);
        long threadId = Waiter.longArg(r.arg(0), "threadId");
        switch ((ConditionProtocol) r.operation) {
            case AWAIT: {
                long millis = Waiter.longArg(r.arg(1), "millis");
                locks.requireHeld(st.lockName, client, threadId, "await on condition '" + st.name + "'");
                int holds = locks.releaseFully(st.lockName, client, threadId, ctx);
                if (millis <= 0) {
                    locks.reacquire(st.lockName, client, r.callId, threadId, holds, Boolean.FALSE, ctx);
                } else {
                    st.queue.addLast(new CondWaiter(client, r.callId, threadId, System.nanoTime(), millis, holds));
                    waiting.add(st);
                }
                return PENDING;
            }
            case SIGNAL:
                locks.requireHeld(st.lockName, client, threadId, "signal on condition '" + st.name + "'");
                return wake(st, 1, ctx);
            case SIGNAL_ALL:
                locks.requireHeld(st.lockName, client, threadId, "signalAll on condition '" + st.name + "'");
                return wake(st, Integer.MAX_VALUE, ctx);
            default:
                throw new UnsupportedOperationException("condition '" + r.name + "' has no operation " + r.operation.label());
        }
    }

    private int wake(CondState st, int max, ServerContext ctx) {
        int woken = 0;
        while (woken < max && !st.queue.isEmpty()) {
            CondWaiter w = st.queue.pollFirst();
            locks.reacquire(st.lockName, w.session, w.callId, w.threadId, w.holds, Boolean.TRUE, ctx);
            woken++;
        }
        return woken;
    }

    @Override
    public void onTick(long nowNanos, ServerContext ctx) {
        for (Iterator<CondState> it = waiting.iterator(); it.hasNext(); ) {
            CondState st = it.next();
            for (Iterator<CondWaiter> w = st.queue.iterator(); w.hasNext(); ) {
                CondWaiter waiter = w.next();
                if (waiter.expired(nowNanos)) {
                    w.remove();
                    locks.reacquire(st.lockName, waiter.session, waiter.callId, waiter.threadId, waiter.holds,
                            Boolean.FALSE, ctx);
                }
            }
            if (st.queue.isEmpty()) {
                it.remove();
            }
        }
    }

    @Override
    public void onClientGone(Session client, ServerContext ctx) {
        for (CondState st : conditions.values()) {
            st.queue.removeIf(w -> w.of(client));
        }
    }

    private static final class CondState {
        final String name;
        final String lockName;
        final ArrayDeque<CondWaiter> queue = new ArrayDeque<>();

        CondState(String name, String lockName) {
            this.name = name;
            this.lockName = lockName;
        }
    }

    private static final class CondWaiter extends Waiter {
        final int holds;

        CondWaiter(Session s, long callId, long threadId, long now, long millis, int holds) {
            super(s, callId, threadId, now, millis);
            this.holds = holds;
        }
    }
}
