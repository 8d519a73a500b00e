package io.ipckit.core.internal.jmx;

/**
 * The manager this JVM serves: {@code io.ipckit:type=Manager,space="DIR"}. Attributes are computed when
 * read.
 */
public interface ManagerMXBean {
    /** The manager's space directory. */
    String getSpace();

    /** Requests served since the manager started. */
    long getRequests();

    /** Requests per second since the previous read of this attribute (at least a second before). */
    double getRequestRate();

    /** Client connections open now. */
    int getClients();
}
