package io.ipckit.pool;

import io.ipckit.core.test.LeakCheckingTest;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool's JFR events: worker start and death in the caller's recording, task runs in the worker's. */
class PoolJfrTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    @Timeout(120)
    void workerStartAndDeath_inTheCallersRecording_taskRunsInTheWorkersOwn() throws Exception {
        Path callerFile = work.resolve("caller.jfr");
        Path workerFile = work.resolve("worker.jfr");
        try (Recording r = new Recording()) {
            r.enable("io.ipckit.WorkerStart");
            r.enable("io.ipckit.WorkerDeath");
            r.start();
            try (Pool pool = TestPools.builder(1)
                    .workerJvmOptions("-XX:StartFlightRecording").build()) {
                pool.awaitReady(Duration.ofSeconds(60));
                long first = pool.workerPids().get(0);
                assertEquals(42, pool.apply(() -> {
                    Thread.sleep(50);
                    return 42;
                }));
                Tasks.kill9(first);
                long t0 = System.nanoTime();
                while ((pool.workerPids().isEmpty() || pool.workerPids().get(0) == first)
                        && System.nanoTime() - t0 < 60_000_000_000L) {
                    Thread.sleep(50);
                }
                pool.awaitReady(Duration.ofSeconds(60));
                assertEquals(43, pool.apply(() -> {
                    Thread.sleep(50);
                    return 43;
                }), "the replacement runs it and records it");
                // a worker ends with a halt (no shutdown hooks, so no dump at exit): ask its recording now
                Path jcmd = io.ipckit.core.JvmLauncher.javaExecutable().resolveSibling("jcmd");
                java.lang.Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(pool.workerPids().get(0)),
                        "JFR.dump", "filename=" + workerFile).redirectErrorStream(true).start();
                String said = new String(dump.getInputStream().readAllBytes());
                assertTrue(dump.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && dump.exitValue() == 0, said);
            }
            r.stop();
            r.dump(callerFile);
        }
        List<RecordedEvent> caller = RecordingFile.readAllEvents(callerFile);
        List<RecordedEvent> starts = named(caller, "io.ipckit.WorkerStart");
        assertEquals(2, starts.size(), "the first worker and its replacement: " + caller);
        assertTrue(starts.stream().allMatch(e -> e.getLong("pid") > 0 && e.getDuration().toMillis() > 0), starts.toString());
        assertTrue(named(caller, "io.ipckit.WorkerDeath").stream().anyMatch(e -> e.getInt("exitStatus") == 137),
                caller.toString());
        assertTrue(Files.size(workerFile) > 0, "the replacement dumped its recording");
        List<RecordedEvent> runs = named(RecordingFile.readAllEvents(workerFile), "io.ipckit.TaskRun");
        assertEquals(1, runs.size(), runs.toString());
        assertTrue(runs.get(0).getBoolean("succeeded") && runs.get(0).getDuration().toMillis() >= 40, runs.toString());
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).collect(Collectors.toList());
    }
}
