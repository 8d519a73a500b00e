package io.ipckit.pool;

import io.ipckit.pool.internal.caller.ProgressMeter;

import java.util.Objects;

/**
 * The progress display of a long {@link Pool#map map}, {@link Pool#starmap starmap} or
 * {@link Pool#imap imap}: what tqdm or mpire's {@code progress_bar=True} give in Python. Pass one to
 * the overloads that take it; the others show nothing and pay nothing.
 *
 * <pre>{@code
 * List<Integer> out = pool.map(x -> slow(x), inputs, Progress.bar());         // a bar on standard error
 * pool.map(f, inputs, Progress.to((done, total, finished) -> log(done + "/" + total)));
 * }</pre>
 *
 * <p>Progress counts completed items (not chunks), including items whose task failed in an
 * {@code imap}. It ends, exactly once, when the call completes or fails, when an {@code imap}'s input
 * is exhausted and every item is done, or when its {@link ResultIterator#close()} is called; a bar is
 * then closed and its drawing thread stops.
 *
 * <p><b>The bar</b> (drawn with {@code me.tongfei:progressbar}) shows items done / total, the rate and
 * the estimated time left, updated on standard error five times a second, when this JVM has a console
 * ({@link System#console()} is not null). Without a console (output piped to a file, a CI log) it
 * prints a plain line without terminal control characters when the work starts, every ten seconds,
 * and when it ends. When the total is unknown (an {@code imap} over an input that is not a
 * {@link java.util.Collection}) it shows the count and the rate, without an estimate.
 *
 * <p>Immutable and thread-safe; one value may be reused for many calls.
 */
public final class Progress {
    private static final Progress NONE = new Progress(null, null);

    private final String title;
    private final Listener listener;

    private Progress(String title, Listener listener) {
        this.title = title;
        this.listener = listener;
    }

    /** No progress display: the same as the overloads without a {@code Progress}. */
    public static Progress none() {
        return NONE;
    }

    /** A bar titled with the call's verb ({@code map}, {@code imap}...). */
    public static Progress bar() {
        return bar("");
    }

    /**
     * A bar titled {@code title} (empty: the call's verb).
     *
     * @throws NullPointerException when {@code title} is null
     */
    public static Progress bar(String title) {
        return new Progress(Objects.requireNonNull(title, "title"), null);
    }

    /**
     * No bar: {@code listener} gets the counts instead (see {@link Listener}).
     *
     * @throws NullPointerException when {@code listener} is null
     */
    public static Progress to(Listener listener) {
        return new Progress(null, Objects.requireNonNull(listener, "listener"));
    }

    /**
     * This display, and {@code listener} gets the counts too (e.g. {@code Progress.bar().and(l)}). Any
     * thread.
     *
     * @throws NullPointerException when {@code listener} is null
     * @throws IllegalStateException when this one already has a listener
     */
    public Progress and(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        if (this.listener != null) {
            throw new IllegalStateException("this Progress already reports to a listener; a Progress has at most one");
        }
        return new Progress(title, listener);
    }

    /** Starts a meter for one call; {@link ProgressMeter#NONE} when there is nothing to show. */
    ProgressMeter start(String verb, long total) {
        if (this == NONE || (title == null && listener == null)) {
            return ProgressMeter.NONE;
        }
        String shown = title == null ? null : title.isEmpty() ? verb : title;
        return ProgressMeter.start(shown, listener, total);
    }

    @Override
    public String toString() {
        return this == NONE ? "Progress.none()"
                : "Progress[" + (title != null ? "bar '" + title + "'" : "") + (listener != null ? " listener" : "") + "]";
    }

    /**
     * Receives the counts of a call with progress: first {@code (0, total, false)} on the calling thread
     * when the work starts, then on the pool's result thread as items complete (the last call may come
     * from the thread that closes an {@code imap}'s iterator), one call at a time, in order: {@code done}
     * never goes down, and the last call, exactly one, has {@code finished} true.
     * It must be quick; an exception it throws is reported on standard error and ignored.
     */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param done items completed so far
         * @param total items in all, or -1 while unknown (an {@code imap} whose input is still being read)
         * @param finished true on the last call: the work completed, failed, or its iterator was closed
         */
        void onProgress(long done, long total, boolean finished);
    }
}
