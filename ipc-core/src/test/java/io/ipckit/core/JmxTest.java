package io.ipckit.core;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.JmxChildMain;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ipckit's MBeans: opt-in with {@code -Dipckit.jmx=true}, read from live counters, gone once closed. */
class JmxTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    @Timeout(120)
    void withTheProperty_channelAndManagerMBeansShowLiveCounts_managerJvmGetsIt_allUnregisteredAfter() throws Exception {
        try (Children children = new Children(work)) {
            Process p = children.start(JmxChildMain.class, List.of("-Dipckit.jmx=true"));
            assertEquals(0, children.await(p, 90), children.logOf(p));
            String out = children.logOf(p);
            assertTrue(out.contains("CHANNEL q.jobs 2 3 1 10"), out);
            String manager = out.lines().filter(l -> l.startsWith("MANAGER ")).findFirst().orElseThrow(
                    () -> new AssertionError(out));
            String[] f = manager.split(" ");
            assertTrue(Long.parseLong(f[1]) >= 2, "the manager served the hello and the queue's creation: " + manager);
            assertEquals("1", f[2], manager);
            assertTrue(out.contains("CHILD_ARGS") && out.lines().filter(l -> l.startsWith("CHILD_ARGS"))
                    .allMatch(l -> l.contains("-Dipckit.jmx=true")), "the manager JVM registers its MBeans too: " + out);
            assertTrue(out.contains("AFTER 0 []"), out);
        }
    }

    @Test
    @Timeout(60)
    void withoutTheProperty_nothingIsRegistered() throws Exception {
        try (Manager m = Manager.embedded()) {
            m.queue("q").put("x");
            assertTrue(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("io.ipckit:*"), null).isEmpty());
        }
    }
}
