package io.ipckit.core;

import io.ipckit.core.test.EmbeddedManagerTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract of {@link SharedEvent}, threads of one JVM against an embedded manager. */
class SharedEventTest extends EmbeddedManagerTest {
    @Test
    void event_setAndClear_changeTheFlag() throws Exception {
        SharedEvent e = m.event("flag");
        assertFalse(e.isSet());
        assertFalse(e.await(0, TimeUnit.SECONDS));
        e.set();
        assertTrue(e.isSet());
        assertTrue(e.await(0, TimeUnit.SECONDS));
        e.await();
        e.clear();
        assertFalse(e.isSet());
        m.event("flag").set();
        assertTrue(e.isSet(), "same name, same event");
    }

    @Test
    void await_clearEvent_returnsFalseAfterTheTimeout() throws Exception {
        SharedEvent e = m.event("never");
        long t0 = System.nanoTime();
        assertFalse(e.await(400, TimeUnit.MILLISECONDS));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(millis >= 400 && millis < 10_000, "returned after " + millis + " ms");
    }

    @Test
    void set_wakesEveryWaiter() throws Exception {
        SharedEvent e = m.event("go");
        List<Future<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(pool.submit(() -> e.await(20, TimeUnit.SECONDS)));
        }
        waiters.add(pool.submit(() -> {
            e.await();
            return true;
        }));
        Thread.sleep(500);
        for (Future<Boolean> w : waiters) {
            assertFalse(w.isDone());
        }
        e.set();
        for (Future<Boolean> w : waiters) {
            assertTrue(w.get(10, TimeUnit.SECONDS));
        }
    }
}
