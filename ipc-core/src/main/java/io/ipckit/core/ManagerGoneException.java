package io.ipckit.core;

/**
 * Thrown by a call on a manager or one of its objects when the manager process is gone (killed, crashed
 * or shut down). Calls fail with it within about a second; start or connect to a new manager.
 */
public class ManagerGoneException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the manager's space. */
    public ManagerGoneException(String message) {
        super(message);
    }
}
