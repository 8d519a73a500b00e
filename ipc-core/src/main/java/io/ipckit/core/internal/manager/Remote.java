package io.ipckit.core.internal.manager;

import io.ipckit.core.RemoteException;

/**
 * Turns an exception that travelled back from another process into one the caller can throw. The
 * exception keeps its type and its remote stack trace; the caller's own stack is attached as a
 * suppressed {@link CallSite} so both sides show in a report.
 *
 * <p>Shared by both sides and by the pool. Any thread; never blocks.
 */
public final class Remote {
    private Remote() {
    }

    /**
     * Returns {@code error} when unchecked, else a {@link RemoteException} around it. Errors are thrown
     * directly.
     */
    public static RuntimeException rethrowable(Throwable error, String call) {
        attachCallSite(error, call);
        if (error instanceof RuntimeException) {
            return (RuntimeException) error;
        }
        if (error instanceof Error) {
            throw (Error) error;
        }
        return new RemoteException(call + " failed in another process: " + error, error);
    }

    /** Adds the caller's stack as a suppressed exception of {@code error}. */
    public static void attachCallSite(Throwable error, String call) {
        error.addSuppressed(new CallSite("called here: " + call));
    }

    /** The local stack of a call whose exception came from another process. */
    public static final class CallSite extends Exception {
        private static final long serialVersionUID = 1L;

        CallSite(String message) {
            super(message);
        }
    }
}
