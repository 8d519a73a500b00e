package io.ipckit.cluster.internal.pool;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How many tasks a node takes: its workers, then ahead by measured run time, grown gradually. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TakeWindowTest extends LeakCheckingTest {

    @Test
    void beforeAnyRunTimeIsKnownANodeTakesOnlyForItsWorkers() throws Exception {
        TakeWindow w = new TakeWindow(2);
        assertEquals(2, w.limit());
        assertEquals(2, w.awaitRoom(10));
        assertEquals(0, w.awaitRoom(50), "full: no room within the bound");
        w.release(1);
        assertEquals(1, w.awaitRoom(10));
    }

    @Test
    void shortTasksLetItTakeAheadAsTheyCompleteAndALongOneStopsThat() throws Exception {
        TakeWindow w = new TakeWindow(1);
        assertEquals(1, w.awaitRoom(10));
        w.completed(System.nanoTime()); // a task of a few microseconds
        assertEquals(1 + TakeWindow.MAX_AHEAD_PER_WORKER, w.limit(), "short tasks: the most ahead");
        assertEquals(3, w.awaitRoom(10), "a completion earns two: one in its place, one ahead, and the free worker");
        assertEquals(0, w.awaitRoom(50), "nothing more before another completion");
        w.completed(System.nanoTime());
        assertEquals(2, w.awaitRoom(10));
        w.release(4);
        assertEquals(1, w.restart(), "the queue found empty: back to the free worker");
        assertEquals(0, w.awaitRoom(50), "what was earned ahead is dropped");
        long submitted = System.nanoTime();
        Thread.sleep(50);
        w.completed(submitted); // a task of 50 ms: more than the budget ahead
        assertEquals(1, w.limit(), "a long task: nothing ahead");
        assertEquals(1, w.awaitRoom(10), "only the free worker's");
        assertEquals(0, w.awaitRoom(50));
    }

    @Test
    void aCompletionWakesATakerWaitingForRoom() throws Exception {
        TakeWindow w = new TakeWindow(1);
        assertEquals(1, w.awaitRoom(10));
        long submitted = System.nanoTime();
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return w.awaitRoom(10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(waiting.isDone(), "room before anything completed");
        w.completed(submitted);
        assertTrue(waiting.get(5, TimeUnit.SECONDS) >= 1);
        assertFalse(w.awaitEmpty(50), "the waiter's reservation is held");
    }
}
