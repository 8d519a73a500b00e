package io.ipckit.core.test;

import io.ipckit.core.Manager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Base of the contract tests that run against a manager in this JVM, with threads to block in it. */
public abstract class EmbeddedManagerTest extends LeakCheckingTest {
    protected Manager m;
    protected ExecutorService pool;

    @BeforeEach
    final void startManager() {
        m = Manager.embedded();
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    final void stopManager() throws Exception {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "test threads stopped");
        m.close();
    }
}
