/**
 * The worker's side of a pool, in each worker JVM: {@link io.ipckit.pool.internal.worker.WorkerMain}
 * and what only it uses; and {@link io.ipckit.pool.internal.worker.ProcessMain}, the main of the child JVM
 * of an {@code io.ipckit.pool.Process}. Runs on the worker's main thread unless a class says otherwise.
 */
package io.ipckit.pool.internal.worker;
