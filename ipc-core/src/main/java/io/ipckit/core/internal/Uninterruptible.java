package io.ipckit.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;

/**
 * Runs the opening of a mapped file (our own {@code FileChannel}s, Chronicle's queue files) so that it
 * does not depend on the caller's interrupt flag. A {@code FileChannel} is interruptible: an I/O call on
 * it by a thread whose flag is set closes the channel and throws {@link ClosedByInterruptException}, so a
 * thread that was interrupted before (say, a task cancelled with {@code cancel(true)} that goes on with
 * {@code offer}) could not open a queue. Here the flag is cleared for the open and set again afterwards:
 * the caller finds it as it was, and its next blocking call throws {@code InterruptedException} as usual.
 * An interrupt that arrives during the open is kept the same way and the open is tried again (a few times
 * at most), so it never fails because of an interrupt.
 *
 * <p>Chronicle guards its own mapped files the same way (its {@code MappedFile} marks its channel
 * not-closable by interrupt), but not every file it opens; this covers the whole open. Any thread; the
 * body runs on the calling thread. Use it around opens only, never around a wait (the wait would not see
 * the interrupt).
 */
public final class Uninterruptible {
    /** Opens that were interrupted again and again are given up after this many attempts. */
    private static final int ATTEMPTS = 8;

    private Uninterruptible() {
    }

    /** Something that opens or maps files. */
    public interface Open<T> {
        T open() throws IOException;
    }

    /**
     * Runs {@code body} with the interrupt flag cleared, restoring it afterwards (also when the body
     * throws). The body must be safe to run again after a {@link ClosedByInterruptException}.
     *
     * @throws IOException what the body threw; a {@link ClosedByInterruptException} only when the thread
     *                     was interrupted during every one of several attempts
     */
    public static <T> T call(Open<T> body) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return body.open();
                } catch (ClosedByInterruptException e) {
                    interrupted |= Thread.interrupted();
                    if (attempt >= ATTEMPTS) {
                        throw e;
                    }
                } catch (UncheckedIOException e) {
                    if (!(e.getCause() instanceof ClosedByInterruptException)) {
                        throw e;
                    }
                    interrupted |= Thread.interrupted();
                    if (attempt >= ATTEMPTS) {
                        throw e;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** As {@link #call(Open)}, for a body that throws no checked exception. */
    public static <T> T get(java.util.function.Supplier<T> body) {
        try {
            return call(body::get);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
