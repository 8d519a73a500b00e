package io.ipckit.core;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link BlockingQueueContract} against {@link SharedQueue}s of one manager in its own JVM
 * ({@link Manager#start()}); the queues and their closing are those of the embedded variant.
 */
class ProcessSharedQueueBlockingContractTest extends EmbeddedSharedQueueBlockingContractTest {
    /**
     * Runs after the embedded variant's {@code @BeforeAll} (JUnit runs both: a static method of the same
     * name does not replace it there), whose embedded manager it closes before starting its own: left
     * open, its space stayed in /dev/shm after every suite run and its threads ran on.
     */
    @BeforeAll
    static void startManager() {
        if (manager != null) {
            manager.close();
        }
        manager = Manager.start();
    }
}
