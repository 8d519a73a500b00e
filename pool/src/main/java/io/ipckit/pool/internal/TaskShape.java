package io.ipckit.pool.internal;

/**
 * The shapes of a task's function, as the caller writes them in a task message and the worker reads
 * them: which interface the function implements and how it consumes the task's arguments. Constants only.
 */
public final class TaskShape {
    /** A {@code Callable}: no arguments, one result. */
    public static final int CALLABLE = 0;
    /** A {@code Runnable}: no arguments, one (null) result. */
    public static final int RUNNABLE = 1;
    /** A {@code Function}: one call per argument, one result each. */
    public static final int FUNCTION = 2;
    /** A {@code BiFunction}: one call per two arguments (flattened pairs), one result each. */
    public static final int BIFUNCTION = 3;
    /** Flag beside the shape: the function has no state, so the worker may keep the decoded function for later tasks. */
    public static final int CACHEABLE = 0x100;
    /** The bits of the shape proper. */
    public static final int SHAPE_MASK = 0xff;

    private TaskShape() {
    }
}
