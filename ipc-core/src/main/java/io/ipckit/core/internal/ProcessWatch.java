package io.ipckit.core.internal;

import java.util.Optional;

/**
 * Runs an action when another process dies: a daemon thread polls it every {@code periodMillis}. Used by
 * every JVM that must not outlive its owner (a launched child, a pool worker). Safe for any thread.
 */
public final class ProcessWatch {
    private ProcessWatch() {
    }

    /**
     * Watches {@code pid}; runs {@code onDeath} (on the calling thread) at once when it is already gone,
     * else on a daemon thread named {@code threadName} within {@code periodMillis} of its death.
     */
    public static void onDeath(long pid, long periodMillis, String threadName, Runnable onDeath) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            onDeath.run();
            return;
        }
        ProcessHandle handle = process.get();
        Thread watcher = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
                if (!handle.isAlive()) {
                    onDeath.run();
                    return;
                }
            }
        }, threadName);
        watcher.setDaemon(true);
        watcher.start();
    }
}
