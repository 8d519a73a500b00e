package io.ipckit.core.internal.jmx;

import io.ipckit.core.internal.channel.ChannelState;

/** The {@link ChannelMXBean} of one open channel, reading its mapped {@link ChannelState}. Any thread. */
public final class ChannelMetrics implements ChannelMXBean {
    private final String name;
    private final String space;
    private final ChannelState state;
    private final Rate puts;
    private final Rate takes;

    public ChannelMetrics(String name, String space, ChannelState state) {
        this.name = name;
        this.space = space;
        this.state = state;
        this.puts = new Rate(state::appended);
        this.takes = new Rate(state::taken);
    }

    /** Registers the MBean of a channel just opened; nothing when JMX is off. */
    public static Jmx.Registration register(String name, String space, ChannelState state) {
        if (!Jmx.ON) {
            return Jmx.Registration.NONE;
        }
        java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();
        keys.put("space", space);
        keys.put("name", name);
        return Jmx.register("Channel", keys, new ChannelMetrics(name, space, state));
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getSpace() {
        return space;
    }

    @Override
    public long getDepth() {
        return Math.max(0, state.appended() - state.taken());
    }

    @Override
    public long getCapacity() {
        return state.capacity();
    }

    @Override
    public long getPuts() {
        return state.appended();
    }

    @Override
    public long getTakes() {
        return state.taken();
    }

    @Override
    public double getPutRate() {
        return puts.perSecond();
    }

    @Override
    public double getTakeRate() {
        return takes.perSecond();
    }
}
