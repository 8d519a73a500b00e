package io.ipckit.core;

/**
 * Thrown by {@link SharedQueue#join()} when a consumer process of the joinable queue died holding messages
 * it took and never marked done: they can never be marked done by it, so the join could never return
 * (Python's {@code join()} would wait for ever). The queue stays usable; {@link SharedQueue#consumers()}
 * shows every consumer. To go on, handle the lost messages (put them again, say) and call
 * {@link SharedQueue#taskDone()} once for each: a {@code taskDone()} of a process that holds nothing itself
 * is credited to the dead consumer, and {@code join()} waits normally again.
 */
public class ConsumerDiedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final long pid;
    private final long held;

    /** With a message naming the queue, the dead consumer's pid and how many messages it held. */
    public ConsumerDiedException(String message, long pid, long held) {
        super(message);
        this.pid = pid;
        this.held = held;
    }

    /** The pid of the dead consumer (the first found, when several died). */
    public long pid() {
        return pid;
    }

    /** Messages it took and did not mark done. */
    public long held() {
        return held;
    }
}
