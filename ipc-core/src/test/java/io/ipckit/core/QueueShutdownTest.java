package io.ipckit.core;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.HandleChildMain;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.SharedObjectsChildMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python 3.13's {@code Queue.shutdown(immediate)} on shared queues, seen from threads and other JVMs. */
class QueueShutdownTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    @Timeout(60)
    void shutdown_putsRefused_getsDrainTheRestThenThrow_blockedGetterAndPutterWake() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.queue("jobs");
            SharedQueue<String> full = m.queue("full", 1);
            full.put("only");
            q.put("a");
            q.put("b");
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
            try {
                SharedQueue<String> empty = m.queue("empty");
                Future<Object> getter = threads.submit(() -> empty.take());
                Future<Object> putter = threads.submit(() -> {
                    full.put("blocked");
                    return null;
                });
                Thread.sleep(200);
                assertFalse(getter.isDone() || putter.isDone(), "both block");
                q.shutdown();
                empty.shutdown();
                full.shutdown();
                assertTrue(q.isShutDown());
                QueueShutDownException put = assertThrows(QueueShutDownException.class, () -> q.put("c"));
                assertTrue(put.getMessage().contains("'jobs'") && put.getMessage().contains("nothing was put"),
                        put.getMessage());
                assertThrows(QueueShutDownException.class, () -> q.offer("c"));
                assertEquals("a", q.take(), "what was put before still comes out");
                List<String> rest = new ArrayList<>();
                assertEquals(1, q.drainTo(rest));
                assertThrows(QueueShutDownException.class, q::poll, "empty and shut down");
                assertThrows(QueueShutDownException.class, () -> q.get(5, TimeUnit.SECONDS));
                assertTrue(causeOf(getter) instanceof QueueShutDownException, "the blocked getter woke");
                assertTrue(causeOf(putter) instanceof QueueShutDownException, "the blocked putter woke");
                assertEquals("only", full.take());
            } finally {
                threads.shutdownNow();
                assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    @Timeout(60)
    void shutdownImmediate_emptiesTheQueue_joinReturnsOnceTakenOnesAreDone_getsThrowAtOnce() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<Integer> q = m.joinableQueue("work");
            for (int i = 0; i < 5; i++) {
                q.put(i);
            }
            assertEquals(0, q.take());
            q.shutdown(true);
            assertEquals(0, q.size(), "the waiting four were removed");
            assertThrows(QueueShutDownException.class, q::take);
            assertFalse(q.join(200, TimeUnit.MILLISECONDS), "the one taken is not done yet");
            q.taskDone();
            assertTrue(q.join(5, TimeUnit.SECONDS));
            q.shutdown(false); // harmless: immediate stays
            assertThrows(QueueShutDownException.class, () -> q.put(9));
        }
    }

    @Test
    @Timeout(90)
    void shutdownInThisJvm_wakesAConsumerBlockedInAnotherJvm() throws Exception {
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            SharedQueue<Integer> q = m.queue("feed");
            Process consumer = children.start(SharedObjectsChildMain.class, HandleChildMain.encode(q), "consume",
                    work.resolve("took.txt").toString());
            q.put(1);
            Thread.sleep(500); // the consumer took 1 and blocks for the next
            q.shutdown();
            assertEquals(1, children.await(consumer, 60), "the child's take threw: " + children.logOf(consumer));
            assertTrue(children.logOf(consumer).contains("QueueShutDownException"), children.logOf(consumer));
        }
    }

    private static Throwable causeOf(Future<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }
}
