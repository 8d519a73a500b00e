package io.ipckit.cluster.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets a JVM end when only cluster clients keep it alive: Hazelcast's client threads are not daemons, so a
 * program that returns from {@code main} with a cluster manager open would otherwise never exit. A daemon
 * thread ({@code ipckit-cluster-exit-watch}, started with the first client) looks every
 * {@value #PERIOD_MILLIS} ms at this JVM's live non-daemon threads; when none is the program's own (every one
 * is a Hazelcast or ipckit client thread, or the JVM's {@code DestroyJavaVM}), it closes every client, and
 * the JVM exits as it would have without them. Costs one walk of the thread list per period. Any thread.
 */
final class ExitWatch {
    static final long PERIOD_MILLIS = 250;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private ExitWatch() {
    }

    /** Starts the watch once per JVM. */
    static void ensureStarted() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(ExitWatch::watch, "ipckit-cluster-exit-watch");
        t.setDaemon(true);
        t.start();
    }

    private static void watch() {
        try {
            while (true) {
                Thread.sleep(PERIOD_MILLIS);
                if (!ClusterClient.anyOpen()) {
                    continue;
                }
                if (!programThreadsAlive()) {
                    ClusterClient.closeAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a live non-daemon thread of the program (not a client's, not the JVM's exit thread) runs. */
    static boolean programThreadsAlive() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            if (t.isDaemon() || !t.isAlive()) {
                continue;
            }
            String name = t.getName();
            if (name.equals("DestroyJavaVM") || name.startsWith("hz.") || name.startsWith("ipckit-client-")) {
                continue;
            }
            return true;
        }
        return false;
    }
}
