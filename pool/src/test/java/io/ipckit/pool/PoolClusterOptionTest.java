package io.ipckit.pool;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Pool.Builder.cluster(address)}: options the nodes' workers cannot honour refused beside it in either
 * order, options of this host's worker JVMs only with {@code processes(n)} (local workers beside the nodes'),
 * and, with no cluster engine on the pool module's class path, a build that names the module to add, never
 * the token.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PoolClusterOptionTest extends LeakCheckingTest {
    private static final String ADDRESS = "ipckit-cluster://test@127.0.0.1:5701#s3cr3t-t0ken";

    @Test
    void optionsTheNodesCannotHonourConflictWithClusterInEitherOrder() {
        IllegalArgumentException before = assertThrows(IllegalArgumentException.class,
                () -> Pool.builder().initializer(() -> { }).cluster(ADDRESS));
        assertTrue(before.getMessage().contains("initializer(...)"), before.getMessage());
        assertFalse(before.getMessage().contains("s3cr3t"), before.getMessage());
        IllegalArgumentException after = assertThrows(IllegalArgumentException.class,
                () -> Pool.builder().cluster(ADDRESS).taskTimeout(Duration.ofSeconds(1)));
        assertTrue(after.getMessage().contains("taskTimeout(PT1S) conflicts with cluster("), after.getMessage());
        assertFalse(after.getMessage().contains("s3cr3t"), after.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pool.builder().cluster(ADDRESS).initializer(() -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> Pool.builder().taskTimeout(Duration.ofSeconds(1)).cluster(ADDRESS));
        // the builder is still usable after a refusal, and the options of any pool go with cluster
        Pool.Builder b = Pool.builder().cluster(ADDRESS);
        assertThrows(IllegalArgumentException.class, () -> b.initializer(() -> { }));
        b.name("p").retries(1).imapLookahead(8).startupTimeout(Duration.ofSeconds(5)).processes(2);
    }

    @Test
    void workerJvmOptionsWithClusterNeedProcessesAndAreCheckedAtBuild() {
        for (Pool.Builder b : List.of(
                Pool.builder().cluster(ADDRESS).maxTasksPerWorker(3),
                Pool.builder().workerJvmOptions("-Xmx64m").cluster(ADDRESS),
                Pool.builder().cluster(ADDRESS).workerOutput(ProcessBuilder.Redirect.DISCARD),
                Pool.builder().classDataSharing(false).cluster(ADDRESS))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
            assertTrue(e.getMessage().contains("add processes(n)"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
            assertThrows(IllegalArgumentException.class, b::buildExecutor);
        }
        // with processes, they shape the local workers: the build goes on to look for the cluster engine
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pool.builder()
                .cluster(ADDRESS).workerJvmOptions("-Xmx64m").maxTasksPerWorker(3).processes(1).build());
        assertTrue(e.getMessage().contains("io.ipckit:ipc-cluster"), e.getMessage());
    }

    @Test
    void malformedAddressRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pool.builder().cluster("127.0.0.1:5701#s3cr3t"));
        assertTrue(e.getMessage().contains("ipckit-cluster://"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Pool.builder().cluster(null));
    }

    @Test
    void noClusterEngineOnTheClassPathNamesTheModule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pool.builder().cluster(ADDRESS).build());
        assertTrue(e.getMessage().contains("io.ipckit:ipc-cluster"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Pool.builder().cluster(ADDRESS).buildExecutor());
        assertTrue(ex.getMessage().contains("io.ipckit:ipc-cluster"), ex.getMessage());
    }
}
