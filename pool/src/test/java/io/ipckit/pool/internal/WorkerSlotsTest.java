package io.ipckit.pool.internal;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerSlotsTest extends LeakCheckingTest {
    @TempDir
    Path dir;

    @Test
    void claimWake_workerAsleep_succeedsOncePerSleep() {
        WorkerSlots caller = WorkerSlots.publish(dir.resolve("slots"), 2);
        WorkerSlots worker = WorkerSlots.open(dir.resolve("slots"));
        assertFalse(caller.claimWake(1), "nobody sleeps: nobody to wake");

        worker.setSleeping(1, true);

        assertTrue(caller.sleeping(1));
        assertFalse(caller.sleeping(0), "slots are apart");
        assertTrue(caller.claimWake(1), "the first ringer takes the wake");
        assertFalse(caller.claimWake(1), "a second ringer does not ring the same sleep again");
        assertFalse(worker.sleeping(1));
        assertEquals(1, caller.sleepers(), "counted until the worker itself says it is awake");
        worker.setSleeping(1, false);
        assertEquals(0, caller.sleepers(), "no sleeper: a put does not look at the slots");
    }

    @Test
    void reset_newWorkerInTheSlot_startsAwake() {
        WorkerSlots slots = WorkerSlots.publish(dir.resolve("slots"), 1);
        slots.setSleeping(0, true);

        slots.reset(0);

        assertFalse(slots.sleeping(0), "a replacement worker is not taken for a sleeper of its predecessor");
        assertEquals(WorkerSlots.STARTING, slots.state(0));
    }

    /** A FileChannel is interruptible: mapping the file on a thread whose flag is set would fail. */
    @Test
    void publishAndOpen_threadInterrupted_workAndKeepTheFlag() {
        Thread.currentThread().interrupt();
        WorkerSlots caller;
        WorkerSlots worker;
        try {
            caller = WorkerSlots.publish(dir.resolve("slots"), 2);
            worker = WorkerSlots.open(dir.resolve("slots"));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller's next wait");
        } finally {
            Thread.interrupted();
        }

        worker.setState(1, 42);

        assertEquals(42, caller.state(1));
        assertEquals(2, worker.size());
    }
}
