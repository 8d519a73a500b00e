package io.ipckit.pool;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pool's MBean ({@code -Dipckit.jmx=true}): its workers, pending and finished tasks; gone once closed. */
class PoolJmxTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    @Timeout(120)
    void poolMBean_showsWorkersAndTasks_andIsUnregisteredOnClose() throws Exception {
        try (Children children = new Children(work)) {
            java.lang.Process p = children.start(PoolJmxChildMain.class, List.of("-Dipckit.jmx=true"));
            assertEquals(0, children.await(p, 100), children.logOf(p));
            String out = children.logOf(p);
            assertTrue(out.contains("RESULTS [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]"), out);
            String pool = out.lines().filter(l -> l.startsWith("POOL ")).findFirst().orElseThrow(() -> new AssertionError(out));
            String[] f = pool.split(" ", 6);
            assertEquals("2", f[1], pool);
            assertEquals("2", f[2], "both ready: " + pool);
            assertEquals("0", f[3], "none pending: " + pool);
            assertTrue(Long.parseLong(f[4]) >= 1, "the workers counted their tasks (map sends them in chunks): " + pool);
            String[] pids = f[5].split(" \\[");
            assertEquals(pids[0].replace("[", "").replace("]", "").replace(" ", ""),
                    pids[1].replace("]", "").replace(" ", ""), "the MBean's pids are the pool's: " + pool);
            assertEquals(2, out.lines().filter(l -> l.startsWith("WORKER ")).count(), out);
            assertTrue(out.contains("AFTER 0"), out);
        }
    }
}
