/**
 * What both sides of a pool's process boundary share: the names of its files and channels
 * ({@link io.ipckit.pool.internal.PoolFiles}), the messages on its two channels
 * ({@link io.ipckit.pool.internal.Messages}, {@link io.ipckit.pool.internal.TaskShape}), the worker
 * slots file ({@link io.ipckit.pool.internal.WorkerSlots}) and the doorbells' wire protocol
 * ({@link io.ipckit.pool.internal.DoorbellProtocol}). The caller's side (the pool's engine, its result
 * thread and worker supervision) is {@code io.ipckit.pool.internal.caller}; the worker JVM's side is
 * {@code io.ipckit.pool.internal.worker}. Neither imports the other, except that the caller names the
 * worker's main class to start it.
 */
package io.ipckit.pool.internal;
