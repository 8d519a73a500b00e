package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.internal.manager.protocol.Protocol;
import io.ipckit.core.internal.manager.server.Session;

import java.util.concurrent.TimeUnit;

/**
 * One blocked call in the manager: answered when its wait is granted, or (when timed) by the tick that
 * sees its deadline pass. The dispatcher is single-threaded, so a wait is either granted or expired,
 * never both.
 *
 * <p>Dispatcher thread only.
 */
class Waiter {
    final Session session;
    final long callId;
    final long threadId;
    private final boolean timed;
    private final long deadline;

    /**
     * @param millis how long the wait may last, clamped to [0, {@link Protocol#MAX_WAIT_SLICE_MILLIS}];
     *               negative: no deadline (only for waits that the manager itself ends)
     */
    Waiter(Session session, long callId, long threadId, long nowNanos, long millis) {
        this.session = session;
        this.callId = callId;
        this.threadId = threadId;
        this.timed = millis >= 0;
        this.deadline = nowNanos + TimeUnit.MILLISECONDS.toNanos(Math.min(Math.max(millis, 0),
                Protocol.MAX_WAIT_SLICE_MILLIS));
    }

    boolean expired(long nowNanos) {
        return timed && nowNanos - deadline >= 0;
    }

    boolean of(Session s) {
        return session.clientId() == s.clientId();
    }

    /** A long argument sent as any boxed number. */
    static long longArg(Object value, String what) {
        if (!(value instanceof Number)) {
            throw new IllegalArgumentException(what + " must be a number, was " + value);
        }
        return ((Number) value).longValue();
    }

    /** ", 2 waiting", or nothing when none waits. */
    static String waiting(int n) {
        return n == 0 ? "" : ", " + n + " waiting";
    }

    /** "thread 12 of pid 345". */
    static String who(Session s, long threadId) {
        return "thread " + threadId + " of pid " + s.pid();
    }
}
