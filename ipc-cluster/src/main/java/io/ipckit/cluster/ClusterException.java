package io.ipckit.cluster;

/**
 * The cluster cannot be reached or a node cannot start: the message says which address (token redacted),
 * what was waited for and how long. Retrying later may succeed.
 */
public class ClusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
