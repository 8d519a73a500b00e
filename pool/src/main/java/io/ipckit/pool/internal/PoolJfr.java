package io.ipckit.pool.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/**
 * The pool's JFR events: a task run in a worker, a worker's start (spawn to ready) and death. Begun and
 * ended only through here and only when a recording runs ({@code JfrEvents.on()}), so that a JVM that never
 * records never loads a {@code jdk.jfr.Event} class (about a hundred JFR classes). Any thread.
 */
public final class PoolJfr {
    private PoolJfr() {
    }

    /** A task run by a worker, past 10 ms by default. */
    @Name("io.ipckit.TaskRun")
    @Label("Task Run")
    @Category({"ipckit", "Pool"})
    @Description("A task run in a pool worker, from its decoding to its outcome")
    @Threshold("10 ms")
    public static final class TaskRunEvent extends jdk.jfr.Event {
        @Label("Pool")
        public String pool;
        @Label("Task")
        public long seq;
        @Label("Succeeded")
        public boolean succeeded;
    }

    /** A worker JVM from its spawn to its first ready message. */
    @Name("io.ipckit.WorkerStart")
    @Label("Worker Start")
    @Category({"ipckit", "Pool"})
    @Description("A pool worker JVM, from its spawn to ready")
    public static final class WorkerStartEvent extends jdk.jfr.Event {
        @Label("Pool")
        public String pool;
        @Label("Slot")
        public int slot;
        @Label("Pid")
        public long pid;
    }

    /** A worker JVM's exit. */
    @Name("io.ipckit.WorkerDeath")
    @Label("Worker Death")
    @Category({"ipckit", "Pool"})
    @Description("A pool worker JVM exited (asked to, or crashed)")
    public static final class WorkerDeathEvent extends jdk.jfr.Event {
        @Label("Pool")
        public String pool;
        @Label("Slot")
        public int slot;
        @Label("Pid")
        public long pid;
        @Label("Exit status")
        public int exitStatus;
        @Label("Ready before")
        public boolean wasReady;
    }

    public static Object beginTaskRun() {
        TaskRunEvent e = new TaskRunEvent();
        e.begin();
        return e;
    }

    public static void endTaskRun(Object event, String pool, long seq, boolean succeeded) {
        TaskRunEvent e = (TaskRunEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.pool = pool;
            e.seq = seq;
            e.succeeded = succeeded;
            e.commit();
        }
    }

    public static Object beginWorkerStart() {
        WorkerStartEvent e = new WorkerStartEvent();
        e.begin();
        return e;
    }

    public static void endWorkerStart(Object event, String pool, int slot, long pid) {
        WorkerStartEvent e = (WorkerStartEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.pool = pool;
            e.slot = slot;
            e.pid = pid;
            e.commit();
        }
    }

    public static void workerDeath(String pool, int slot, long pid, int exitStatus, boolean wasReady) {
        WorkerDeathEvent e = new WorkerDeathEvent();
        if (e.shouldCommit()) {
            e.pool = pool;
            e.slot = slot;
            e.pid = pid;
            e.exitStatus = exitStatus;
            e.wasReady = wasReady;
            e.commit();
        }
    }
}
