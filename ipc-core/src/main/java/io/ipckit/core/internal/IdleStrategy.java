package io.ipckit.core.internal;

/**
 * How a thread waits between attempts that found nothing to do (Agrona's {@code IdleStrategy}): a duty
 * cycle ({@link AgentRunner}) calls {@link #idle(int)} with the work of each cycle; a blocking wait calls
 * {@link #idle()} after each empty attempt and {@link #reset()} after one that did something.
 * {@link Backoff} is the strategy of every wait in ipckit; a thread with its own wake-up protocol (the
 * pool's result thread) wraps it.
 *
 * <p>Thread role: the waiting thread only. An instance keeps the state of one wait (how long it has been
 * idle) and is not thread-safe: one per waiting thread. None of the methods allocates.
 */
public interface IdleStrategy {
    /**
     * After one duty cycle: {@link #reset()} when it did work ({@code workCount > 0}), else {@link #idle()}.
     * May block as {@link #idle()} does.
     */
    default void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    /**
     * After an attempt found nothing to do: spins, yields or parks, each strategy for a bounded time, so
     * the caller looks again soon. Returns early on {@link java.util.concurrent.locks.LockSupport#unpark}
     * of the waiting thread; does not throw on interrupt (the caller checks the flag, as a park's caller does).
     */
    void idle();

    /** After an attempt did work: the next {@link #idle()} starts over from its shortest wait. Never blocks. */
    void reset();
}
