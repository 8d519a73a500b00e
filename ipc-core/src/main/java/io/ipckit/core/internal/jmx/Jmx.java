package io.ipckit.core.internal.jmx;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * ipckit's MBeans, opt-in: only with {@code -Dipckit.jmx=true} (the platform MBean server costs a JVM about
 * 0.3 s of CPU to start, which ipckit will not add to every process by default). When on, each channel
 * opened in this JVM, each pool it runs and the manager it serves register an MBean under the domain
 * {@code io.ipckit}, read by JConsole, VisualVM, Prometheus' JMX exporter or any JMX client. Every
 * attribute is computed when read, from the counters the objects keep anyway: registered or not, read or
 * not, the hot paths do no extra work. A manager or pool worker JVM started by a JVM with the property
 * gets it too ({@link #childOptions()}).
 *
 * <p>Any thread. A failure to register is reported once on standard error and otherwise ignored: metrics
 * never break the program.
 */
public final class Jmx {
    /** The system property that turns ipckit's MBeans on. */
    public static final String PROPERTY = "ipckit.jmx";
    /** Whether this JVM registers ipckit's MBeans. */
    public static final boolean ON = Boolean.getBoolean(PROPERTY);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private Jmx() {
    }

    /** The options a child JVM needs to register its MBeans when this JVM does: none when off. */
    public static java.util.List<String> childOptions() {
        return ON ? java.util.List.of("-D" + PROPERTY + "=true") : java.util.List.of();
    }

    /**
     * Registers {@code mbean} as {@code io.ipckit:type=TYPE,KEY=VALUE...} (values quoted), replacing an
     * MBean of that name; nothing when off.
     *
     * @return what unregisters it (idempotent), never null
     */
    public static Registration register(String type, Map<String, String> keys, Object mbean) {
        if (!ON) {
            return Registration.NONE;
        }
        try {
            StringBuilder name = new StringBuilder("io.ipckit:type=").append(type);
            for (Map.Entry<String, String> k : keys.entrySet()) {
                name.append(',').append(k.getKey()).append('=').append(ObjectName.quote(k.getValue()));
            }
            ObjectName on = new ObjectName(name.toString());
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(on)) {
                server.unregisterMBean(on);
            }
            server.registerMBean(mbean, on);
            return new Registration(server, on, mbean);
        } catch (JMException | RuntimeException e) {
            if (WARNED.compareAndSet(false, true)) {
                System.err.println("ipckit: cannot register the MBean of a " + type + " " + keys + ": " + e);
            }
            return Registration.NONE;
        }
    }

    /** One registered MBean. Any thread; {@link #close()} is idempotent and never throws. */
    public static final class Registration implements AutoCloseable {
        /** The registration of nothing: what every register answers when JMX is off. */
        public static final Registration NONE = new Registration(null, null, null);
        private final MBeanServer server;
        private final ObjectName name;
        private final Object mbean;

        private Registration(MBeanServer server, ObjectName name, Object mbean) {
            this.server = server;
            this.name = name;
            this.mbean = mbean;
        }

        /** Unregisters the MBean, unless another took its name since. */
        @Override
        public synchronized void close() {
            if (server == null) {
                return;
            }
            try {
                if (server.isRegistered(name)) {
                    server.unregisterMBean(name);
                }
            } catch (JMException | RuntimeException ignored) {
                // gone already
            }
        }

        @Override
        public String toString() {
            return name == null ? "no MBean" : name + " (" + mbean.getClass().getSimpleName() + ")";
        }
    }
}
