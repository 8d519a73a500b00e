package io.ipckit.pool.internal.caller;

import io.ipckit.core.Channel;
import io.ipckit.core.Codec;
import io.ipckit.core.Space;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.pool.internal.Messages;
import io.ipckit.pool.internal.PoolFiles;
import io.ipckit.pool.internal.TaskShape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The claim scan that finds tasks a worker took from the channel but died before announcing. */
class ClaimScannerTest extends LeakCheckingTest {
    @Test
    void claimedBy_findsTasksTakenByThatPidOnly_andStopsAtTheFirstFreeOne() throws Exception {
        int me = (int) ProcessHandle.current().pid();
        try (Space space = Space.create()) {
            Channel<Object> tasks = space.channel(PoolFiles.TASKS);
            for (long seq = 1; seq <= 5; seq++) {
                tasks.put(Messages.withSeq(Messages.task(TaskShape.FUNCTION, new byte[] {1, 2, 3}, new byte[0], 0), seq));
            }
            assertEquals(1L, Messages.seq((byte[]) tasks.poll()));
            assertEquals(2L, Messages.seq((byte[]) tasks.poll()));
            try (ClaimScanner scanner = new ClaimScanner(space.directory(), Codec.defaults())) {
                assertEquals(List.of(1L, 2L), scanner.claimedBy(me, Set.of()));
                assertEquals(List.of(), scanner.claimedBy(me + 1, Set.of()), "nobody else claimed anything");
                assertEquals(3L, Messages.seq((byte[]) tasks.poll()));
                assertEquals(List.of(3L), scanner.claimedBy(me, Set.of(me)), "the next scan resumes where it stopped");
                assertEquals(List.of(3L), scanner.claimedBy(me, Set.of()),
                        "the last claim of a worker that was polling during a scan is scanned again");
                assertEquals(List.of(), scanner.claimedBy(me, Set.of()));
            }
        }
    }
}
