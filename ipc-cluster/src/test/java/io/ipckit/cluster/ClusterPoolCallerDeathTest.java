package io.ipckit.cluster;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.pool.Wire;
import io.ipckit.cluster.test.Cluster;
import io.ipckit.cluster.test.PoolCallerChildMain;
import io.ipckit.cluster.test.PoolNode;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster pool's caller killed with kill -9 leaves its result queue, with the outcome of its running task
 * in it; the node removes the queue and the caller's registration once the client timeout has passed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterPoolCallerDeathTest extends LeakCheckingTest {
    @TempDir
    Path dir;

    private static boolean exists(HazelcastInstance hz, String name) {
        for (DistributedObject o : hz.getDistributedObjects()) {
            if (o.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theResultQueueOfACallerKilledWithKill9IsRemovedAfterTheClientTimeout() throws Exception {
        ClusterAddress address = PoolNode.address(1);
        try (Children children = new Children(dir)) {
            PoolNode.start(children, address, 0, 1);
            try {
                HazelcastInstance hz = ClusterClient.of(address).hazelcast();
                Set<String> before = new HashSet<>(hz.<String, String>getMap(Wire.CALLERS).keySet());
                Path marker = dir.resolve("task-started");
                Process caller = children.start(PoolCallerChildMain.class, address.toString(), marker.toString());
                children.awaitOutput(caller, PoolCallerChildMain.READY, 60);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(marker)) {
                    assertTrue(System.nanoTime() < deadline, "the caller's task did not start in 60 s");
                    Thread.sleep(20);
                }
                Set<String> now = new HashSet<>(hz.<String, String>getMap(Wire.CALLERS).keySet());
                now.removeAll(before);
                assertEquals(1, now.size(), "the child's caller registered: " + now);
                String queue = Wire.results(now.iterator().next());
                caller.destroyForcibly(); // kill -9, its task still running on the node
                long killedAt = System.nanoTime();
                assertTrue(caller.waitFor(10, TimeUnit.SECONDS));
                Thread.sleep(PoolCallerChildMain.TASK_MILLIS + 500);
                assertTrue(exists(hz, queue), queue + " gone before the client timeout");
                assertTrue(hz.getQueue(queue).size() >= 1, "the outcome of the dead caller's task waits in " + queue);
                while (exists(hz, queue) || hz.getMap(Wire.CALLERS).containsKey(now.iterator().next())) {
                    assertTrue(System.nanoTime() - killedAt < TimeUnit.MILLISECONDS.toNanos(Cluster.CLIENT_TIMEOUT_MILLIS + 10_000),
                            queue + " or its caller's registration still there "
                                    + (System.nanoTime() - killedAt) / 1_000_000 + " ms after kill -9");
                    Thread.sleep(50);
                }
                System.out.println("the dead caller's result queue removed " + (System.nanoTime() - killedAt) / 1_000_000
                        + " ms after kill -9 (client timeout " + Cluster.CLIENT_TIMEOUT_MILLIS + " ms)");
            } finally {
                ClusterClient.closeAll();
            }
        }
    }
}
