package io.ipckit.pool.internal;

/**
 * The messages of a pool's two channels. Task bodies and results travel as codec bytes inside these
 * small records, so that a body or result that cannot be decoded fails its own task (whose sequence
 * number is still readable) instead of poisoning the channel.
 */
public final class Messages {
    private Messages() {
    }

    /**
     * Task channel: run the encoded function {@code fn} of the given {@link TaskShape} shape (plus
     * {@link TaskShape#CACHEABLE}) on the encoded {@code Object[] args} (null: none); a negative seq
     * tells the worker to exit.
     */
    public record Task(long seq, int shape, byte[] fn, byte[] args) {
        public static final Task STOP = new Task(-1, 0, null, null);
    }

    /**
     * Result channel: the outcome of task {@code seq}; {@code payload} encodes an {@code Object[]} of
     * results when {@code ok}, else a {@link Failure}.
     */
    public record Done(long seq, boolean ok, byte[] payload) {
    }

    /** Result channel: the worker in {@code slot} started and ran its initializer. */
    public record Ready(int slot, long pid) {
    }

    /** Result channel: the initializer of the worker in {@code slot} threw {@code error} (encoded Throwable). */
    public record InitFailed(int slot, long pid, byte[] error) {
    }

    /** The payload of a failed {@link Done}: results of the chunk's items before the failing one, and the error. */
    public record Failure(Object[] partial, Throwable error) {
    }
}
