package io.ipckit.pool;

import io.ipckit.core.Connection;
import io.ipckit.core.Pipe;
import io.ipckit.core.PipeClosedException;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A pipe end passed to a pool task and a Process: the worker JVM uses it as its own. */
class PipeWithWorkersTest extends LeakCheckingTest {
    @Test
    void endPassedToATask_workerAnswersAndCloses_callerReadsThenEof() throws Exception {
        try (Pipe pipe = Pipe.open(); Pool pool = TestPools.create(1)) {
            Connection mine = pipe.first();
            Connection theirs = pipe.second();
            AsyncResult<Long> done = pool.applyAsync(() -> { // a callable: recv may throw InterruptedException
                long question = theirs.<Long>recv();
                theirs.send(question * 2);
                theirs.close();
                return ProcessHandle.current().pid();
            });
            mine.send(21L);
            assertEquals(42L, mine.<Long>recv());
            long worker = done.get(60, TimeUnit.SECONDS);
            assertEquals(pool.workerPids().get(0), worker);
            assertThrows(PipeClosedException.class, mine::recv, "the task closed its end");
        }
    }

    @Test
    void endPassedToAProcess_whoseChildExitsWithoutClosing_isEofForTheParent() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection parent = pipe.first();
            Connection child = pipe.second();
            io.ipckit.pool.Process p = new io.ipckit.pool.Process(() -> child.send("from the child"));
            p.start();
            assertEquals("from the child", parent.recv());
            p.join(java.time.Duration.ofSeconds(60));
            assertThrows(PipeClosedException.class, parent::recv, "the child exited: its end is closed");
        }
    }
}
