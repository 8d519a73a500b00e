package io.ipckit.pool.internal.caller;

/**
 * A pool this JVM runs: {@code io.ipckit:type=Pool,name="NAME"} (JMX is opt-in: {@code -Dipckit.jmx=true}).
 * Attributes are computed when read, from what the pool keeps anyway (its worker table is read from its
 * slots file, as {@code ipckit inspect} reads it).
 */
public interface PoolMXBean {
    /** The pool's name. */
    String getName();

    /** The pool's space directory. */
    String getSpace();

    /** The number of workers it keeps. */
    int getSize();

    /** Workers started and ready now. */
    int getReadyWorkers();

    /** Tasks submitted and not completed. */
    int getPendingTasks();

    /** Tasks the workers finished, all told (of the workers alive now). */
    long getTasksDone();

    /** Tasks finished per second since the previous read of this attribute (at least a second before). */
    double getTaskRate();

    /** The live worker JVMs' pids. */
    long[] getWorkerPids();

    /** One line per worker: {@code index pid state tasksDone}. */
    String[] getWorkers();
}
