package io.ipckit.core;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.HandleChildMain;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.SharedObjectsChildMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13, sharp edge 7: a consumer that dies holding messages is seen, and join() does not hang on it. */
class QueueConsumersTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    @Timeout(90)
    void consumerKilledHoldingMessages_isListedDead_joinFailsNamingIt_taskDoneForTheLostOnesLetsJoinReturn()
            throws Exception {
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            SharedQueue<String> q = m.joinableQueue("jobs");
            for (String job : List.of("a", "b", "c", "END")) {
                q.put(job);
            }
            Process consumer = children.start(SharedObjectsChildMain.class, HandleChildMain.encode(q),
                    "take-and-wait", "2");
            children.awaitOutput(consumer, "took 2", 60);
            SharedQueue.Consumer alive = only(q.consumers());
            assertEquals(new SharedQueue.Consumer(consumer.pid(), true, 2, 2), alive);

            assertEquals("c", q.take()); // this process consumes and marks done the rest
            q.taskDone();
            assertEquals("END", q.take());
            q.taskDone();
            assertFalse(q.join(300, TimeUnit.MILLISECONDS), "the consumer still holds two, alive");

            consumer.destroyForcibly().waitFor();
            assertTrue(q.consumers().contains(new SharedQueue.Consumer(consumer.pid(), false, 2, 2)), q.consumers()
                    .toString());
            long t0 = System.nanoTime();
            ConsumerDiedException e = assertThrows(ConsumerDiedException.class, () -> q.join(30, TimeUnit.SECONDS));
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 5, "join saw it at once");
            assertEquals(consumer.pid(), e.pid());
            assertEquals(2, e.held());
            assertTrue(e.getMessage().contains("pid " + consumer.pid()) && e.getMessage().contains("taskDone()"),
                    e.getMessage());

            q.taskDone(); // the lost two, handled here: credited to the dead consumer
            q.taskDone();
            assertTrue(q.join(10, TimeUnit.SECONDS), "every message is done now");
            assertTrue(q.consumers().contains(new SharedQueue.Consumer(consumer.pid(), false, 2, 0)), q.consumers()
                    .toString());
        }
    }

    @Test
    @Timeout(60)
    void plainQueue_listsConsumersWithTheirTakes_andAProcessIsListedOnce() throws Exception {
        try (Manager m = Manager.start()) {
            SharedQueue<Integer> q = m.queue("plain");
            SharedQueue<Integer> other = m.queue("plain"); // a second handle of this process
            assertEquals(List.of(), q.consumers(), "nobody took yet");
            for (int i = 0; i < 5; i++) {
                q.put(i);
            }
            q.take();
            other.poll();
            q.poll(1, TimeUnit.SECONDS);
            assertEquals(List.of(new SharedQueue.Consumer(ProcessHandle.current().pid(), true, 3, 0)), q.consumers());
        }
    }

    private static SharedQueue.Consumer only(List<SharedQueue.Consumer> consumers) {
        assertEquals(1, consumers.size(), consumers.toString());
        return consumers.get(0);
    }
}
