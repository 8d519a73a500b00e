package io.ipckit.core.internal.jmx;

/**
 * A channel (or a manager's shared queue, whose messages travel through one) open in this JVM:
 * {@code io.ipckit:type=Channel,space="DIR",name="CHANNEL"}. The counters are the channel's, shared by
 * every process that uses it. Attributes are read from its mapped counters when asked.
 */
public interface ChannelMXBean {
    /** The channel's name ({@code q.NAME} for a manager's queue NAME). */
    String getName();

    /** The space directory. */
    String getSpace();

    /** Messages put and not yet taken. */
    long getDepth();

    /** The bound on waiting messages, 0 when unbounded. */
    long getCapacity();

    /** Messages put since the channel was made, by every process. */
    long getPuts();

    /** Messages taken since the channel was made, by every process. */
    long getTakes();

    /** Puts per second since the previous read of this attribute (at least a second before). */
    double getPutRate();

    /** Takes per second since the previous read of this attribute (at least a second before). */
    double getTakeRate();
}
