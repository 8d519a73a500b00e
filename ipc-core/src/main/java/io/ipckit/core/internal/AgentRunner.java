package io.ipckit.core.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The body of a thread that runs one {@link Agent} (Agrona's {@code AgentRunner}): cycles
 * {@code idle.idle(agent.doWork())} until {@link #stop} is called or the agent throws
 * {@link AgentTerminationException}, then runs {@link Agent#onClose()} once. What else {@code doWork}
 * throws goes to the {@link ErrorHandler}, which says whether the loop goes on (a cycle that threw counts
 * as one that did nothing, so a failing agent idles rather than spins).
 *
 * <pre>
 *   owner thread                   agent thread (new Thread(runner, name))
 *   ────────────                   ──────────────────────────────────────
 *   new AgentRunner(idle, errors, agent)
 *   thread.start()  ─────────────▶ run(): claims the runner, then
 *                                    while (!stopped) idle.idle(agent.doWork())
 *   stop(timeout)   ── unpark ───▶   (ends after the cycle in progress)
 *     waits ≤ timeout ◀───────────   agent.onClose(); closed
 * </pre>
 *
 * <p>Thread roles: {@link #run()} is the agent thread's body, once (a runner is not reusable); the agent,
 * the idle strategy and, for errors of the agent, the error handler run on that thread only.
 * {@link #stop}, {@link #isRunning} and {@link #awaitClosed} are for any thread. A stop before the thread
 * ran makes {@link #run()} return at once and runs {@code onClose} on the stopping thread.
 *
 * <p>Cost: per cycle one volatile read (the stop flag, as the hand-written loops it replaces read theirs),
 * the agent's {@code doWork} and one call of the idle strategy; nothing allocates. The two calls are
 * shared by every runner of the JVM, so each sees the agents and strategies of that JVM: outside tests at
 * most two of each (a manager's dispatcher with {@link Backoff}, a pool's result thread with its own
 * strategy), which the JIT inlines; each strategy overrides {@link IdleStrategy#idle(int)} so that what
 * it calls binds statically.
 */
public final class AgentRunner implements Runnable {
    /** What to do with an exception of the agent. */
    @FunctionalInterface
    public interface ErrorHandler {
        /**
         * Handles {@code error}, thrown by the agent's {@code doWork} or {@code onClose}; runs on the agent's
         * thread.
         *
         * @return whether the loop goes on (ignored for {@code onClose})
         */
        boolean onError(Throwable error);
    }

    /** Marks a runner stopped before its thread ran it. */
    private static final Thread STOPPED_BEFORE_RUN = new Thread(() -> { }, "agent-runner-stopped-before-run");

    private final IdleStrategy idle;
    private final ErrorHandler errors;
    private final Agent agent;
    /** The thread running the agent, {@link #STOPPED_BEFORE_RUN}, or null before either. */
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean running = true;

    /**
     * @param idle the agent thread's own idle strategy (not shared with another thread)
     * @param errors handles what the agent throws, on the agent's thread; should not throw (what it throws
     *     is printed to standard error and stops the loop)
     */
    public AgentRunner(IdleStrategy idle, ErrorHandler errors, Agent agent) {
        this.idle = idle;
        this.errors = errors;
        this.agent = agent;
    }

    /** The agent this runner runs. Any thread; the agent's methods are for its own thread only. */
    public Agent agent() {
        return agent;
    }

    /**
     * The agent thread's body: cycles until stopped or the agent is done, then runs its {@code onClose}.
     * Returns at once when the runner was stopped before.
     *
     * @throws IllegalStateException when the runner already runs or ran on another thread
     */
    @Override
    public void run() {
        if (!thread.compareAndSet(null, Thread.currentThread())) {
            if (thread.get() == STOPPED_BEFORE_RUN) {
                return;
            }
            throw new IllegalStateException("the agent runner of " + agent.roleName()
                    + " already runs or ran on thread " + thread.get().getName() + "; use a new runner");
        }
        try {
            loop();
        } finally {
            running = false;
            close();
        }
    }

    private void loop() {
        final IdleStrategy idle = this.idle;
        final Agent agent = this.agent;
        while (running) {
            int work;
            try {
                work = agent.doWork();
            } catch (AgentTerminationException done) {
                return;
            } catch (Throwable t) {
                if (!handle(t)) {
                    return;
                }
                work = 0;
            }
            idle.idle(work);
        }
    }

    private boolean handle(Throwable t) {
        try {
            return errors.onError(t);
        } catch (Throwable e) {
            System.err.println("ipckit: the error handler of " + agent.roleName() + " threw " + e
                    + " handling " + t + "; the agent stops");
            return false;
        }
    }

    private void close() {
        try {
            agent.onClose();
        } catch (Throwable t) {
            handle(t);
        } finally {
            closed.countDown();
        }
    }

    /**
     * Stops the loop after the cycle in progress (waking the agent's thread from a park) and waits up to
     * {@code timeout} for the agent to close. On the agent's own thread (an agent stopping itself) it only
     * asks and returns false. Before the thread ran the runner, it closes the agent here. Any thread; may
     * be called more than once. An interrupt ends the wait (the flag is kept) and returns false.
     *
     * @return whether the agent has closed
     */
    public boolean stop(long timeout, TimeUnit unit) {
        running = false;
        Thread t = thread.get();
        if (t == Thread.currentThread()) {
            return false;
        }
        if (t == null && thread.compareAndSet(null, STOPPED_BEFORE_RUN)) {
            close();
            return true;
        }
        t = thread.get();
        if (t != STOPPED_BEFORE_RUN) {
            LockSupport.unpark(t);
        }
        try {
            return closed.await(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether no stop was asked and the agent has not closed (true before the thread ran too). Any thread. */
    public boolean isRunning() {
        return running && closed.getCount() > 0;
    }

    /**
     * Waits up to {@code timeout} for the agent to close (its loop ended and {@code onClose} ran). Any thread.
     *
     * @return whether it closed
     */
    public boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
        return closed.await(timeout, unit);
    }
}
