package io.ipckit.core.test;

import io.ipckit.core.Manager;
import io.ipckit.core.SharedQueue;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Set;

/**
 * Child JVM, run with {@code -Dipckit.jmx=true}: an embedded manager and a queue with 3 puts and 1 take,
 * then prints what ipckit's MBeans say ({@code CHANNEL name depth puts takes capacity},
 * {@code MANAGER requests clients}), the arguments of a manager JVM it starts ({@code CHILD_ARGS ...}),
 * and, once all is closed, how many ipckit MBeans are left ({@code AFTER n}).
 */
public final class JmxChildMain {
    private JmxChildMain() {
    }

    public static void main(String[] args) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.queue("jobs", 10);
            q.put("a");
            q.put("b");
            q.put("c");
            q.take();
            for (ObjectName n : server.queryNames(new ObjectName("io.ipckit:type=Channel,*"), null)) {
                System.out.println("CHANNEL " + server.getAttribute(n, "Name") + " " + server.getAttribute(n, "Depth")
                        + " " + server.getAttribute(n, "Puts") + " " + server.getAttribute(n, "Takes") + " "
                        + server.getAttribute(n, "Capacity"));
            }
            for (ObjectName n : server.queryNames(new ObjectName("io.ipckit:type=Manager,*"), null)) {
                System.out.println("MANAGER " + server.getAttribute(n, "Requests") + " " + server.getAttribute(n, "Clients"));
            }
        }
        try (Manager started = Manager.start()) {
            System.out.println("CHILD_ARGS " + String.join(" ",
                    ProcessHandle.of(started.pid()).orElseThrow().info().arguments().orElse(new String[0])));
        }
        Set<ObjectName> left = server.queryNames(new ObjectName("io.ipckit:*"), null);
        System.out.println("AFTER " + left.size() + " " + left);
    }
}
