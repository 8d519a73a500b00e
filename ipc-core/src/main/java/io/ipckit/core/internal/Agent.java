package io.ipckit.core.internal;

/**
 * One long-running duty of a thread, as cycles (Agrona's {@code Agent}): each {@link #doWork()} does what
 * is ready now without blocking and says how much it did; the {@link AgentRunner} that owns the thread
 * idles between cycles that did nothing. The manager's dispatcher ({@code ManagerServer}) and the pool's
 * result thread ({@code ResultAgent}) are agents.
 *
 * <p>Thread role: every method runs on the agent's thread only (the runner's), so an agent needs no
 * synchronisation for its own state; what other threads hand it goes through queues or volatile fields
 * of its own.
 */
public interface Agent {
    /**
     * One duty cycle. Must not block for long: the runner idles between cycles, and a stop is noticed only
     * between them.
     *
     * @return the work done (messages handled, for example); 0 lets the runner idle before the next cycle
     * @throws AgentTerminationException when the agent is done: the runner ends its loop without reporting
     * @throws Exception anything else goes to the runner's error handler, which says whether to go on
     */
    int doWork() throws Exception;

    /** The agent's name in messages (the name of its thread, usually). */
    String roleName();

    /** Runs once on the agent's thread after its last cycle (or on the stopping thread when it never ran). */
    default void onClose() {
    }
}
