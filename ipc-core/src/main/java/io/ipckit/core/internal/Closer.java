package io.ipckit.core.internal;

/**
 * Closes several resources, all of them even when some fail, and reports every failure: the first as
 * the thrown exception, the others as its suppressed exceptions (the role of Agrona's CloseHelper).
 */
public final class Closer {
    private RuntimeException failure;

    /** Closes {@code resource} (null is ignored), remembering a failure instead of throwing it. */
    public Closer close(AutoCloseable resource) {
        if (resource == null) {
            return this;
        }
        try {
            resource.close();
        } catch (Exception | Error e) {
            add(e);
        }
        return this;
    }

    /** Runs {@code action}, remembering a failure instead of throwing it. */
    public Closer run(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            add(new IllegalStateException(what + " failed: " + e, e));
        }
        return this;
    }

    private void add(Throwable t) {
        if (failure == null) {
            failure = t instanceof RuntimeException ? (RuntimeException) t
                    : new IllegalStateException("close failed: " + t, t);
        } else if (failure != t) {
            failure.addSuppressed(t);
        }
    }

    /** Throws the first failure, with the others suppressed in it; returns when there was none. */
    public void rethrow() {
        if (failure != null) {
            throw failure;
        }
    }
}
