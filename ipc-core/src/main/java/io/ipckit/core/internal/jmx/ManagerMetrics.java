package io.ipckit.core.internal.jmx;

import io.ipckit.core.internal.channel.ChannelState;

import java.util.function.IntSupplier;

/**
 * The {@link ManagerMXBean} of the manager this JVM serves: requests are its request channel's takes.
 * Any thread.
 */
public final class ManagerMetrics implements ManagerMXBean {
    private final String space;
    private final ChannelState requests;
    private final IntSupplier clients;
    private final Rate rate;

    private ManagerMetrics(String space, ChannelState requests, IntSupplier clients) {
        this.space = space;
        this.requests = requests;
        this.clients = clients;
        this.rate = new Rate(requests::taken);
    }

    /** Registers the MBean of a manager that starts serving; nothing when JMX is off. */
    public static Jmx.Registration register(String space, ChannelState requests, IntSupplier clients) {
        if (!Jmx.ON) {
            return Jmx.Registration.NONE;
        }
        return Jmx.register("Manager", java.util.Map.of("space", space), new ManagerMetrics(space, requests, clients));
    }

    @Override
    public String getSpace() {
        return space;
    }

    @Override
    public long getRequests() {
        return requests.taken();
    }

    @Override
    public double getRequestRate() {
        return rate.perSecond();
    }

    @Override
    public int getClients() {
        return clients.getAsInt();
    }
}
