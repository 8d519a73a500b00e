package io.ipckit.core;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link BlockingQueueContract} against {@link SharedQueue}s of one embedded manager, made in {@code @BeforeAll}. */
class EmbeddedSharedQueueBlockingContractTest extends BlockingQueueContract {
    static Manager manager;
    private static final AtomicInteger NAMES = new AtomicInteger();

    @BeforeAll
    static void startManager() {
        manager = Manager.embedded();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Override
    protected BlockingQueue<Integer> create(int capacity) {
        return manager.queue("q" + NAMES.incrementAndGet(), capacity);
    }

    @Override
    protected void closeHandle(BlockingQueue<Integer> q) {
        ((SharedQueue<Integer>) q).close();
    }
}
