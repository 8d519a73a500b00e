package io.ipckit.pool;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python's process utilities: active_children(), parent_process(), sentinel (onExit), close(). */
class ProcessUtilitiesTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    @Timeout(90)
    void activeChildren_parentProcessInTheChild_onExit_close() throws Exception {
        assertTrue(Process.parentProcess().isEmpty(), "a main program has no ipckit parent");
        String out = work.resolve("parent.txt").toString();
        Process writer = new Process(() -> {
            try {
                Files.writeString(Path.of(out), Process.parentProcess().map(h -> Long.toString(h.pid())).orElse("none"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Process sleeper = new Process(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        writer.start();
        sleeper.start();
        assertTrue(Process.activeChildren().contains(sleeper));
        assertSame(writer, writer.onExit().get(60, TimeUnit.SECONDS), "onExit completes with the process");
        assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(Path.of(out)),
                "the child's parentProcess() is this JVM");
        assertFalse(Process.activeChildren().contains(writer), "an exited child is not active");

        IllegalStateException running = assertThrows(IllegalStateException.class, sleeper::close);
        assertTrue(running.getMessage().contains("still runs"), running.getMessage());
        sleeper.kill();
        assertTrue(sleeper.join(Duration.ofSeconds(30)));
        sleeper.close();
        sleeper.close(); // idempotent
        assertEquals(137, sleeper.exitCode(), "queries still answer");
        IllegalStateException closed = assertThrows(IllegalStateException.class, sleeper::pid);
        assertTrue(closed.getMessage().contains("close()"), closed.getMessage());
        assertEquals(List.of(), Process.activeChildren());
    }
}
