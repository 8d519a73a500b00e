/**
 * Python's {@code multiprocessing.Process}, {@code multiprocessing.Pool} and
 * {@code concurrent.futures.ProcessPoolExecutor} for the JVM: {@link io.ipckit.pool.Process},
 * {@link io.ipckit.pool.Pool} (with {@link io.ipckit.pool.AsyncResult} and
 * {@link io.ipckit.pool.ResultIterator}) and {@link io.ipckit.pool.ProcessPoolExecutor}.
 *
 * <p>Workers are child JVMs started with the caller's classpath and ipckit's JVM flags. Tasks are
 * serializable lambdas, method references or classes ({@code io.ipckit.core.Serializable*}); they and
 * their results travel through the codec over two channels of a space the pool creates for itself
 * (removed when the pool ends, or by the workers if the caller is killed). A dead, stuck or
 * out-of-memory worker fails its task with {@link io.ipckit.pool.WorkerCrashedException} or a
 * {@link java.util.concurrent.TimeoutException} and is replaced: nothing hangs. Everything under
 * {@code io.ipckit.pool.internal} is implementation.
 */
package io.ipckit.pool;
