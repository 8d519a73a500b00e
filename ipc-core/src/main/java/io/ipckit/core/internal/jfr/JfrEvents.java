package io.ipckit.core.internal.jfr;

import jdk.jfr.FlightRecorder;

/**
 * ipckit's JFR events, begun and ended through here so that a JVM that never starts a recording never loads
 * them: loading a {@code jdk.jfr.Event} class loads about a hundred JFR classes (measured: 0.1–0.2 s of
 * CPU in every ipckit JVM's start). Callers ask {@link #on()} (one class of {@code jdk.jfr}, one volatile
 * read) and pass the begun event around as an {@code Object}. Any thread.
 */
public final class JfrEvents {
    private JfrEvents() {
    }

    /** Whether JFR runs in this JVM (a recording was started, now or before); events are worth begun. */
    public static boolean on() {
        return FlightRecorder.isInitialized();
    }

    /** A begun {@link ManagerRequestEvent}; call only when {@link #on()}. */
    public static Object beginManagerRequest() {
        ManagerRequestEvent e = new ManagerRequestEvent();
        e.begin();
        return e;
    }

    /** Ends and, past its threshold, commits {@code event} from {@link #beginManagerRequest()}. */
    public static void endManagerRequest(Object event, String space, String object, String operation, boolean failed) {
        ManagerRequestEvent e = (ManagerRequestEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.space = space;
            e.object = object;
            e.operation = operation;
            e.failed = failed;
            e.commit();
        }
    }

    /** A begun {@link QueueWaitEvent}; call only when {@link #on()}. */
    public static Object beginQueueWait() {
        QueueWaitEvent e = new QueueWaitEvent();
        e.begin();
        return e;
    }

    /** Ends and, past its threshold, commits {@code event} from {@link #beginQueueWait()}. */
    public static void endQueueWait(Object event, String queue, String operation, boolean done) {
        QueueWaitEvent e = (QueueWaitEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.queue = queue;
            e.operation = operation;
            e.done = done;
            e.commit();
        }
    }
}
