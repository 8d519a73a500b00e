package io.ipckit.core;

/**
 * Wraps a checked exception thrown in another process (the manager, a worker) where the caller's
 * signature cannot throw it. The cause is the remote exception, with its remote stack trace.
 */
public class RemoteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the remote call and its cause. */
    public RemoteException(String message, Throwable cause) {
        super(message, cause);
    }
}
