package io.ipckit.core;

import io.ipckit.core.test.LeakCheckingTest;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ipckit's JFR events: what a profile of a program using queues and a manager shows. */
class JfrEventsTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    void aBlockedGetAndASlowManagerCall_areRecorded_aQuickOneIsNot() throws Exception {
        Path file = work.resolve("ipckit.jfr");
        try (Manager m = Manager.embedded(); Recording r = new Recording()) {
            // a threshold well above what a get of a waiting item takes even on a loaded machine (it took
            // 20.5 ms once on the fresh-clone CI, two cores shared with the build)
            r.enable("io.ipckit.QueueWait").withThreshold(Duration.ofMillis(60));
            r.enable("io.ipckit.ManagerRequest").withThreshold(Duration.ofMillis(10));
            r.start();
            SharedQueue<String> q = m.queue("starved");
            q.poll(200, TimeUnit.MILLISECONDS); // waits 200 ms for nothing
            q.put("quick");
            q.poll(100, TimeUnit.MILLISECONDS); // no wait: not recorded
            SharedSemaphore s = m.semaphore("gate", 0);
            s.tryAcquire(60, TimeUnit.MILLISECONDS); // a manager call that waits 60 ms
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> waits = events.stream().filter(e -> e.getEventType().getName().equals("io.ipckit.QueueWait"))
                .collect(Collectors.toList());
        assertEquals(1, waits.size(), events.toString());
        assertEquals("starved", waits.get(0).getString("queue"));
        assertEquals("get", waits.get(0).getString("operation"));
        assertTrue(waits.get(0).getDuration().toMillis() >= 190, waits.get(0).toString());
        List<RecordedEvent> calls = events.stream()
                .filter(e -> e.getEventType().getName().equals("io.ipckit.ManagerRequest")
                        && e.getString("object").contains("gate"))
                .collect(Collectors.toList());
        assertTrue(!calls.isEmpty() && calls.stream().allMatch(e -> e.getDuration().toMillis() >= 10), events.toString());
    }
}
