package io.ipckit.pool.internal.caller;

import io.ipckit.core.SerializableRunnable;

import java.util.List;

/**
 * The settings of a pool, checked by the public builder.
 *
 * @param name the pool's name, in thread names and messages
 * @param size number of workers
 * @param maxTasksPerWorker tasks after which a worker is replaced (0: never)
 * @param jvmOptions options of worker JVMs, after ipckit's own flags
 * @param initializer run once in each worker before its first task, or null
 * @param taskTimeoutNanos a task (one chunk) running longer fails and its worker is replaced (0: none)
 * @param retries how many times a task whose worker died is queued again before it fails
 * @param output where worker standard output and error go
 * @param startupTimeoutNanos how long the workers may take to be ready; past it the pool breaks
 * @param lookahead chunks an {@code imap} keeps submitted and unfinished at most
 * @param classDataSharing whether workers use (and the first one creates) a class-data sharing archive
 */
public record Config(String name, int size, int maxTasksPerWorker, List<String> jvmOptions,
                     SerializableRunnable initializer, long taskTimeoutNanos, int retries,
                     ProcessBuilder.Redirect output, long startupTimeoutNanos, int lookahead,
                     boolean classDataSharing) {
    /**
     * Spin of the pool's waiters (result thread, workers) before they yield: on two cores the caller, the
     * result thread and idle workers all wait at once, and a 20 µs spin doubled the round trip of apply.
     */
    public static final long SPIN_NANOS = 2_000;

    /** These settings with another number of workers. */
    public Config withSize(int workers) {
        return new Config(name, workers, maxTasksPerWorker, jvmOptions, initializer, taskTimeoutNanos, retries,
                output, startupTimeoutNanos, lookahead, classDataSharing);
    }
}
