package io.ipckit.cluster.internal.pool;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a node's answer to a probe names ({@link HeldTasks#heldBy}): a task from when it is taken until its
 * outcome is on its way, not merely until it completed (its outcome may still be behind the answer), and
 * not once it was cancelled; each task ends once.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HeldTasksTest extends LeakCheckingTest {
    private final HeldTasks held = new HeldTasks();

    @Test
    void aCompletedTaskIsHeldUntilItsOutcomeIsSent_andOnlyItsCallersAnswerNamesIt() {
        HeldTasks.Held a = held.take("caller-a", 7);
        HeldTasks.Held b = held.take("caller-a", 3);
        held.take("caller-b", 7);
        assertArrayEquals(new long[] {3, 7}, held.heldBy("caller-a"));

        assertTrue(held.end(a), "completed");
        assertFalse(held.end(a), "ends once");
        assertArrayEquals(new long[] {3, 7}, held.heldBy("caller-a"), "completed, its outcome not sent: still named");
        held.sent(a);
        assertArrayEquals(new long[] {3}, held.heldBy("caller-a"), "its outcome ahead of any later answer");

        assertNotNull(held.cancel("caller-a", 3, false));
        assertFalse(held.end(b), "a cancelled task sends no outcome");
        assertArrayEquals(new long[0], held.heldBy("caller-a"), "cancelled: its caller forgot it");
        assertArrayEquals(new long[] {7}, held.heldBy("caller-b"));
    }

    @Test
    void aTaskCancelledBeforeItIsTaken_isDroppedWhenTaken() {
        assertNull(held.cancel("caller-a", 5, true));
        assertNull(held.take("caller-a", 5), "dropped");
        assertArrayEquals(new long[0], held.heldBy("caller-a"));
    }
}
