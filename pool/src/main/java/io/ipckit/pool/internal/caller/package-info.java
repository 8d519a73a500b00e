/**
 * The caller's side of a pool, in the JVM that created it: {@link io.ipckit.pool.internal.caller.Engine}
 * (the facade {@code Pool} and {@code ProcessPoolExecutor} call) and the parts it is made of, each for one
 * thread role, which its class Javadoc names: the {@link io.ipckit.pool.internal.caller.Lifecycle} (any
 * thread), the {@link io.ipckit.pool.internal.caller.PendingTasks} table (callers insert, the result thread
 * completes), the {@link io.ipckit.pool.internal.caller.ResultAgent} (run by an
 * {@link io.ipckit.core.internal.AgentRunner}), its {@link io.ipckit.pool.internal.caller.InboxIdleStrategy}
 * and the {@link io.ipckit.pool.internal.caller.WorkerSupervisor} (the result thread only).
 */
package io.ipckit.pool.internal.caller;
