package io.ipckit.cluster;

/**
 * A payload read from the cluster fails its authentication: it was sealed with another access token,
 * for another shared object, or altered on the way or in storage. Nothing of it is decoded or returned.
 * The object it was read from stays usable.
 */
public class ForgedPayloadException extends SecurityException {
    private static final long serialVersionUID = 1L;

    public ForgedPayloadException(String message) {
        super(message);
    }

    public ForgedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
