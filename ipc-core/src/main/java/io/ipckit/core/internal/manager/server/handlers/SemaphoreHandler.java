package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;
import io.ipckit.core.internal.manager.protocol.SemaphoreProtocol;
import io.ipckit.core.internal.manager.server.ObjectHandler;
import io.ipckit.core.internal.manager.server.ServerContext;
import io.ipckit.core.internal.manager.server.Session;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Hosts shared semaphores (Python's {@code Semaphore} and {@code BoundedSemaphore}). Timed waiters are
 * served first come, first served; an immediate try ({@code millis == 0}) takes free permits even when
 * others wait, as {@code java.util.concurrent.Semaphore.tryAcquire()} does.
 *
 * <p>The operations and their codes are {@link SemaphoreProtocol}'s. Operations (args): {@code acquire(n,
 * millis)} answers true when granted, false when {@code millis} (at most one slice) passed first; {@code
 * release(n)}; {@code available()}; {@code drain()}. Creation args: initial permits, bounded.
 *
 * <p>The permits each client acquired and did not release are counted; when the client dies or leaves
 * they are released for it. A release by a client that holds fewer permits than it releases is counted
 * against the other clients' holdings, so no permit is ever given back twice.
 *
 * <p>Server side: runs on the manager's dispatcher thread only.
 */
public final class SemaphoreHandler implements ObjectHandler {
    private final Map<String, Sem> semaphores = new HashMap<>();
    private final Set<Sem> waiting = new LinkedHashSet<>();

    @Override
    public Kind kind() {
        return Kind.SEMAPHORE;
    }

    @Override
    public String describe(String name) {
        Sem s = semaphores.get(name);
        return (s.bounded ? "bounded, " : "") + s.permits + " of " + s.initial + " permits free"
                + (s.held.isEmpty() ? "" : ", held by " + s.held.size() + " client(s)") + Waiter.waiting(s.queue.size());
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) {
        int permits = permitsArg(name, args);
        semaphores.put(name, new Sem(name, permits, boundedArg(name, args)));
        return null;
    }

    @Override
    public Object reopen(String name, Object[] args, ServerContext ctx) {
        int permits = permitsArg(name, args);
        boolean bounded = boundedArg(name, args);
        Sem s = semaphores.get(name);
        if (s.initial != permits || s.bounded != bounded) {
            throw new IllegalArgumentException("semaphore '" + name + "' exists as " + s.describe() + ", not as "
                    + new Sem(name, permits, bounded).describe() + "; open it with the same arguments or use "
                    + "another name");
        }
        return null;
    }

    private static int permitsArg(String name, Object[] args) {
        if (args.length < 2 || !(args[0] instanceof Integer) || !(args[1] instanceof Boolean)) {
            throw new IllegalArgumentException("creating semaphore '" + name + "' needs (int permits, boolean "
                    + "bounded)");
        }
        int permits = (Integer) args[0];
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore '" + name + "': permits must be >= 0, was " + permits);
        }
        return permits;
    }

    private static boolean boundedArg(String name, Object[] args) {
        return (Boolean) args[1];
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) {
        Sem s = semaphores.get(r.name);
        switch ((SemaphoreProtocol) r.operation) {
            case ACQUIRE:
                return acquire(s, client, r.callId, count(s, r.arg(0), "acquire"), Waiter.longArg(r.arg(1), "millis"));
            case RELEASE:
                release(s, client, count(s, r.arg(0), "release"), ctx);
                return null;
            case AVAILABLE:
                return s.permits;
            case DRAIN: {
                int n = s.permits;
                s.take(client, n);
                return n;
            }
            default:
                throw new UnsupportedOperationException("semaphore '" + r.name + "' has no operation " + r.operation.label());
        }
    }

    private static int count(Sem s, Object arg, String op) {
        long n = Waiter.longArg(arg, "permits");
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("semaphore '" + s.name + "': cannot " + op + " " + n
                    + " permits; the number must be >= 0");
        }
        return (int) n;
    }

    private Object acquire(Sem s, Session client, long callId, int n, long millis) {
        if (s.bounded && n > s.initial) {
            throw new IllegalArgumentException("bounded semaphore '" + s.name + "' never has more than "
                    + s.initial + " permits; acquiring " + n + " could never succeed");
        }
        if (s.permits >= n && (millis <= 0 || s.queue.isEmpty())) {
            s.take(client, n);
            return Boolean.TRUE;
        }
        if (millis <= 0) {
            return Boolean.FALSE;
        }
        s.queue.addLast(new SemWaiter(client, callId, System.nanoTime(), millis, n));
        waiting.add(s);
        return PENDING;
    }

    private static void release(Sem s, Session client, int n, ServerContext ctx) {
        if (s.bounded && (long) s.permits + n > s.initial) {
            throw new IllegalStateException("bounded semaphore '" + s.name + "' released too many times: "
                    + "releasing " + n + " would make " + ((long) s.permits + n) + " permits, above its initial "
                    + s.initial + " (Python's ValueError); release only permits that were acquired");
        }
        if ((long) s.permits + n > Integer.MAX_VALUE) {
            throw new IllegalStateException("semaphore '" + s.name + "': releasing " + n
                    + " would exceed the maximum permit count " + Integer.MAX_VALUE);
        }
        s.permits += n;
        s.unhold(client.clientId(), n);
        grantWaiters(s, ctx);
    }

    private static void grantWaiters(Sem s, ServerContext ctx) {
        while (!s.queue.isEmpty() && s.queue.peekFirst().n <= s.permits) {
            SemWaiter w = s.queue.pollFirst();
            s.take(w.session, w.n);
            ctx.reply(w.session, w.callId, Boolean.TRUE);
        }
    }

    @Override
    public void onTick(long nowNanos, ServerContext ctx) {
        for (Iterator<Sem> it = waiting.iterator(); it.hasNext(); ) {
            Sem s = it.next();
            boolean removed = false;
            for (Iterator<SemWaiter> w = s.queue.iterator(); w.hasNext(); ) {
                SemWaiter waiter = w.next();
                if (waiter.expired(nowNanos)) {
                    w.remove();
                    removed = true;
                    ctx.reply(waiter.session, waiter.callId, Boolean.FALSE);
                }
            }
            if (removed) {
                grantWaiters(s, ctx); // a large request that gave up may have blocked smaller ones
            }
            if (s.queue.isEmpty()) {
                it.remove();
            }
        }
    }

    @Override
    public void onClientGone(Session client, ServerContext ctx) {
        for (Sem s : semaphores.values()) {
            s.queue.removeIf(w -> w.of(client));
            Long held = s.held.remove(client.clientId());
            if (held != null && held > 0) {
                long back = s.bounded ? Math.min(held, (long) s.initial - s.permits) : held;
                s.permits = (int) Math.min(Integer.MAX_VALUE, s.permits + back);
            }
            grantWaiters(s, ctx);
        }
    }

    private static final class Sem {
        final String name;
        final int initial;
        final boolean bounded;
        final ArrayDeque<SemWaiter> queue = new ArrayDeque<>();
        /** Permits acquired and not released, by client id. */
        final Map<Long, Long> held = new LinkedHashMap<>();
        int permits;

        Sem(String name, int initial, boolean bounded) {
            this.name = name;
            this.initial = initial;
            this.bounded = bounded;
            this.permits = initial;
        }

        void take(Session client, int n) {
            permits -= n;
            if (n > 0) {
                held.merge(client.clientId(), (long) n, Long::sum);
            }
        }

        /** Counts {@code n} released permits against the releaser's holdings first, then the others'. */
        void unhold(long clientId, long n) {
            long left = debit(clientId, n);
            for (Iterator<Map.Entry<Long, Long>> it = held.entrySet().iterator(); left > 0 && it.hasNext(); ) {
                Map.Entry<Long, Long> e = it.next();
                long d = Math.min(left, e.getValue());
                left -= d;
                if (e.getValue() == d) {
                    it.remove();
                } else {
                    e.setValue(e.getValue() - d);
                }
            }
        }

        private long debit(long clientId, long n) {
            Long mine = held.get(clientId);
            if (mine == null) {
                return n;
            }
            long d = Math.min(mine, n);
            if (mine == d) {
                held.remove(clientId);
            } else {
                held.put(clientId, mine - d);
            }
            return n - d;
        }

        String describe() {
            return (bounded ? "a bounded semaphore" : "a semaphore") + " of " + initial + " permits";
        }
    }

    private static final class SemWaiter extends Waiter {
        final int n;

        SemWaiter(Session s, long callId, long now, long millis, int n) {
            super(s, callId, 0, now, millis);
            this.n = n;
        }
    }
}
