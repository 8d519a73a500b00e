package io.ipckit.core.internal.channel;

import io.ipckit.core.Channel;
import io.ipckit.core.internal.Files2;
import io.ipckit.core.test.LeakCheckingTest;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ChannelFilesTest extends LeakCheckingTest {
    @TempDir
    Path work;

    /**
     * A manager removes a client's reply channel at shutdown while the client may still poll it: the
     * client's clean-up of old cycle files then found no directory, threw, and its poll reported the channel
     * corrupt, so Manager.close() failed now and then (seen running the first-contact program).
     */
    @Test
    void deleteCyclesBefore_queueDirectoryRemovedUnderneath_deletesNothingAndDoesNotThrow() throws Exception {
        Path dir = work.resolve("queue");
        try (SingleChronicleQueue queue = ChannelFiles.open(dir, Channel.DEFAULT_ROLL_CYCLE, 1024)) {
            Files2.deleteRecursively(dir);
            assertFalse(Files.exists(dir));
            assertEquals(0, ChannelFiles.deleteCyclesBefore(queue, Integer.MAX_VALUE));
        }
    }
}
