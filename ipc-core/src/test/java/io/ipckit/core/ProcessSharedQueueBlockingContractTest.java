package io.ipckit.core;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link BlockingQueueContract} against {@link SharedQueue}s of one manager in its own JVM
 * ({@link Manager#start()}); the queues and their closing are those of the embedded variant.
 */
class ProcessSharedQueueBlockingContractTest extends EmbeddedSharedQueueBlockingContractTest {
    /** Hides the embedded variant's: JUnit runs this one instead. */
    @BeforeAll
    static void startManager() {
        manager = Manager.start();
    }
}
