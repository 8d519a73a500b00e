package io.ipckit.pool;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

/**
 * Child JVM, run with {@code -Dipckit.jmx=true}: a pool of 2 named "jmx-pool" runs 10 tasks, then prints
 * its MBean's attributes ({@code POOL size ready pending tasksDone pids}, {@code WORKER line} each) and,
 * once the pool is closed, how many ipckit MBeans are left ({@code AFTER n}).
 */
public final class PoolJmxChildMain {
    private PoolJmxChildMain() {
    }

    public static void main(String[] args) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.ipckit:type=Pool,name=" + ObjectName.quote("jmx-pool"));
        try (Pool pool = Pool.builder().processes(2).name("jmx-pool").build()) {
            pool.awaitReady(java.time.Duration.ofSeconds(60));
            List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
            System.out.println("RESULTS " + squares);
            System.out.println("POOL " + server.getAttribute(name, "Size") + " " + server.getAttribute(name, "ReadyWorkers")
                    + " " + server.getAttribute(name, "PendingTasks") + " " + server.getAttribute(name, "TasksDone")
                    + " " + Arrays.toString((long[]) server.getAttribute(name, "WorkerPids")) + " " + pool.workerPids());
            for (String w : (String[]) server.getAttribute(name, "Workers")) {
                System.out.println("WORKER " + w);
            }
        }
        System.out.println("AFTER " + server.queryNames(new ObjectName("io.ipckit:type=Pool,*"), null).size());
    }
}
