package io.ipckit.core.internal.manager;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Marks a manager's dispatcher thread while it runs user code: a hosted object's method or factory, a
 * barrier's action, a value's update function. A call from there to the same manager would wait for the
 * dispatcher that is making it, for ever, so the client refuses it up front ({@link #isServing(Path)}).
 *
 * <p>Shared by the two sides: the server marks ({@link #call}), the client asks. Any thread; costs a
 * plain read of a static counter on the client's side when no dispatcher of this JVM runs user code (a
 * process that is no manager never pays more).
 */
public final class DispatcherThread {
    /** The space directory of the manager whose dispatcher runs user code on this thread, or null. */
    private static final ThreadLocal<Path> SERVING = new ThreadLocal<>();
    /** How many threads of this JVM run user code for a manager now (0 outside managers). */
    private static volatile int running;

    private DispatcherThread() {
    }

    /** Runs {@code code} as user code of the manager of {@code directory}, on this (its dispatcher) thread. */
    public static <T> T call(Path directory, Callable<T> code) throws Exception {
        Path normalized = directory.toAbsolutePath().normalize();
        synchronized (DispatcherThread.class) {
            running++;
        }
        SERVING.set(normalized);
        try {
            return code.call();
        } finally {
            SERVING.remove();
            synchronized (DispatcherThread.class) {
                running--;
            }
        }
    }

    /** Whether this thread runs user code for the manager of space {@code directory}. */
    public static boolean isServing(Path directory) {
        if (running == 0) {
            return false;
        }
        Path serving = SERVING.get();
        return serving != null && serving.equals(directory.toAbsolutePath().normalize());
    }

    /** The refusal of a call from user code on the dispatcher to its own manager. */
    public static IllegalStateException refusal(String call) {
        return new IllegalStateException("cannot call " + call + " from code the same manager runs (a hosted"
                + " object's method or factory, a barrier's action, a value's update function): the manager runs"
                + " one call at a time and would wait for itself; do it from the client side instead");
    }
}
