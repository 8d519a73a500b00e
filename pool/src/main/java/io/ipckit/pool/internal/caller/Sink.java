package io.ipckit.pool.internal.caller;

/** Receives the outcome of one task message; called on the pool's result thread only. */
public interface Sink {
    /**
     * @param values the results, one per call of the task (the calls before the failure when
     *     {@code error} is set; empty when nothing ran)
     * @param error null on success, else what failed: the task's exception (with its remote stack
     *     trace), a {@link io.ipckit.pool.WorkerCrashedException}, a {@link java.util.concurrent.TimeoutException}
     *     or a {@link java.util.concurrent.CancellationException} when the pool was terminated
     */
    void complete(Object[] values, Throwable error);
}
