package io.ipckit.cluster;

import io.ipckit.core.ManagerGoneException;

/**
 * A call on a cluster object failed because the cluster cannot be reached: no member answered within the
 * client's invocation timeout (30 s), or the client was closed. The message names the object. The client
 * keeps reconnecting in the background while it is open, so a later call may succeed once a node is up
 * again. A {@link ManagerGoneException}, so code written for a local manager handles it the same way.
 */
public class ClusterUnreachableException extends ManagerGoneException {
    private static final long serialVersionUID = 1L;

    public ClusterUnreachableException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
