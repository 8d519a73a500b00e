package io.ipckit.pool.internal.caller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker JVMs of a pool that have not been seen to exit, and how many of them are ready.
 *
 * <p>Thread role: shared. The result thread (and, before it starts, the thread creating the pool) adds,
 * removes and counts ready workers; any thread reads them and may kill them all. No method blocks.
 */
final class WorkerProcesses {
    private final Map<Long, java.lang.Process> processes = new ConcurrentHashMap<>();
    /** Live workers that are ready; written by the result thread only. */
    private volatile int ready;

    void add(java.lang.Process p) {
        processes.put(p.pid(), p);
    }

    void remove(long pid) {
        processes.remove(pid);
    }

    boolean isEmpty() {
        return processes.isEmpty();
    }

    /** Kills every worker (SIGKILL). Any thread. */
    void killAll() {
        for (java.lang.Process p : processes.values()) {
            p.destroyForcibly();
        }
    }

    /** Waits up to {@code millis} for each to exit (pool creation failed). */
    void awaitExit(long millis) throws InterruptedException {
        for (java.lang.Process p : processes.values()) {
            p.waitFor(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Pids of the live workers, sorted; a snapshot. Any thread. */
    List<Long> livePids() {
        List<Long> pids = new ArrayList<>();
        for (java.lang.Process p : processes.values()) {
            if (p.isAlive()) {
                pids.add(p.pid());
            }
        }
        pids.sort(null);
        return pids;
    }

    /** Live workers ready for tasks (a snapshot). Any thread. */
    int readyCount() {
        return ready;
    }

    /** A worker became ready ({@code +1}) or a ready one died ({@code -1}). Result thread only. */
    void addReady(int delta) {
        ready = ready + delta;
    }
}
