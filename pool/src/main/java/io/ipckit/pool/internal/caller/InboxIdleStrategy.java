package io.ipckit.pool.internal.caller;

import io.ipckit.core.internal.Backoff;
import io.ipckit.core.internal.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link IdleStrategy} of the pool's result thread: a {@link Backoff} (with the pool's short spin) whose
 * parks follow the {@link Inbox}'s wake-up protocol. Before a park it says so ({@link Inbox#parking()}) and
 * looks at the count of announced tasks once more; it parks only when that count has not moved since it
 * last looked, so a submit either sees the flag and unparks the thread or is seen here (the argument is in
 * {@link Inbox}). It parks up to {@link #QUIET_PARK_NANOS} when the pool is quiet (running, every worker
 * ready, nothing pending, no event, no lease: whatever needs the thread then wakes it), else as the
 * backoff does, up to {@link #IDLE_PARK_NANOS}. Woken by a submit (or a new count) it starts over from the
 * spin, as a result is on its way.
 *
 * <p>Thread role: the result thread only (run by its {@link io.ipckit.core.internal.AgentRunner}). No
 * method allocates.
 */
final class InboxIdleStrategy implements IdleStrategy {
    /** Longest sleep of the idle result thread: bounds how late it notices a death or a timeout. */
    static final long IDLE_PARK_NANOS = Backoff.MAX_PARK_NANOS;
    /**
     * Longest sleep of the result thread of a quiet pool (running, every worker ready, nothing pending):
     * whatever needs it then (a submit, a worker's death, close) wakes it.
     */
    static final long QUIET_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Backoff backoff = new Backoff(Config.SPIN_NANOS);
    private final Inbox inbox;
    private final PendingTasks pending;
    private final Lifecycle lifecycle;
    private final WorkerSupervisor supervisor;
    /** {@link Inbox#announced()} when it last went idle. */
    private long seenSubmitted;

    InboxIdleStrategy(Inbox inbox, PendingTasks pending, Lifecycle lifecycle, WorkerSupervisor supervisor) {
        this.inbox = inbox;
        this.pending = pending;
        this.lifecycle = lifecycle;
        this.supervisor = supervisor;
    }

    /** After a cycle: {@link #reset()} when it did work, else {@link #idle()} (both bound statically). */
    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            backoff.reset();
        } else {
            idle();
        }
    }

    /**
     * Waits a little for results: spins, yields, then parks, saying so in the {@link Inbox} first and
     * looking at the count of announced tasks once more. Woken by a submit it spins and yields again.
     */
    @Override
    public void idle() {
        if (!backoff.parksNext()) {
            backoff.idle(IDLE_PARK_NANOS);
            return;
        }
        inbox.parking();
        if (inbox.announced() == seenSubmitted) {
            if (quiet()) {
                LockSupport.parkNanos(this, QUIET_PARK_NANOS);
            } else {
                backoff.idle(IDLE_PARK_NANOS);
            }
        }
        boolean unparked = inbox.parked();
        long submitted = inbox.announced();
        boolean woken = unparked || submitted != seenSubmitted;
        seenSubmitted = submitted;
        if (woken) {
            backoff.reset();
        }
    }

    @Override
    public void reset() {
        backoff.reset();
    }

    /** Nothing to watch but what wakes the thread anyway. */
    private boolean quiet() {
        return lifecycle.isRunning() && lifecycle.started().isDone() && pending.isEmpty() && !inbox.hasEvents()
                && !lifecycle.leased() && supervisor.allReady();
    }
}
