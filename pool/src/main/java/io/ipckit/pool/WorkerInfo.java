package io.ipckit.pool;

import io.ipckit.pool.internal.PoolFiles;
import io.ipckit.pool.internal.WorkerSlots;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One worker of a pool, as its slot in the pool's space says (the worker writes it, the pool and tools
 * read it): the supported way for a tool such as {@code ipckit inspect} to look at the workers of a pool
 * it did not start, given the pool's {@link Pool#directory()}.
 *
 * <p>Immutable snapshot; any thread of any process of the pool's user.
 */
public final class WorkerInfo {
    /** What a worker is doing. */
    public enum State {
        /** Its JVM starts, or it has not announced itself yet. */
        STARTING,
        /** Waiting for a task. */
        IDLE,
        /** Running task {@link #currentTask()}. */
        RUNNING,
        /** Leaving: its pool shuts down, or it reached its task limit. */
        EXITING,
        /** Its process died; the pool replaces it unless it is shutting down. */
        DEAD
    }

    private final int index;
    private final long pid;
    private final State state;
    private final long tasksDone;
    private final long currentTask;

    private WorkerInfo(int index, long pid, State state, long tasksDone, long currentTask) {
        this.index = index;
        this.pid = pid;
        this.state = state;
        this.tasksDone = tasksDone;
        this.currentTask = currentTask;
    }

    /**
     * The workers of the pool whose space is {@code spaceDir}, one per slot, read now: maps the pool's
     * small slots file for a moment. Does not block.
     *
     * @return the workers in slot order; empty when {@code spaceDir} is not a pool's space
     * @throws IllegalStateException when the pool's slots file exists but cannot be read
     */
    public static List<WorkerInfo> list(Path spaceDir) {
        Path file = PoolFiles.slots(Objects.requireNonNull(spaceDir, "spaceDir"));
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        WorkerSlots slots;
        try {
            slots = WorkerSlots.open(file);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the pool workers file " + file + " is unreadable: " + e.getMessage(), e);
        }
        List<WorkerInfo> out = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            long pid = slots.pid(i);
            long s = slots.state(i);
            State state;
            if (pid > 0 && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                state = State.DEAD;
            } else if (s >= 0) {
                state = State.RUNNING;
            } else if (s == WorkerSlots.POLLING) {
                state = State.IDLE;
            } else if (s == WorkerSlots.EXITING) {
                state = State.EXITING;
            } else {
                state = State.STARTING;
            }
            out.add(new WorkerInfo(i, pid > 0 ? pid : -1, state, slots.tasksDone(i), s >= 0 ? s : -1));
        }
        return List.copyOf(out);
    }

    /** The worker's slot, 0 to {@code processes - 1}; a replacement takes its predecessor's. */
    public int index() {
        return index;
    }

    /** The worker JVM's pid; -1 until it announced itself. */
    public long pid() {
        return pid;
    }

    /** What it was doing. */
    public State state() {
        return state;
    }

    /** Task messages it completed (a chunk of {@code map} counts one). */
    public long tasksDone() {
        return tasksDone;
    }

    /** The number of the task it ran, or -1 when it ran none. */
    public long currentTask() {
        return currentTask;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkerInfo && ((WorkerInfo) o).index == index && ((WorkerInfo) o).pid == pid
                && ((WorkerInfo) o).state == state && ((WorkerInfo) o).tasksDone == tasksDone
                && ((WorkerInfo) o).currentTask == currentTask;
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, pid, state, tasksDone, currentTask);
    }

    @Override
    public String toString() {
        return "WorkerInfo[" + index + ", pid " + pid + ", " + state + ", " + tasksDone + " done"
                + (currentTask >= 0 ? ", task #" + currentTask : "") + "]";
    }
}
