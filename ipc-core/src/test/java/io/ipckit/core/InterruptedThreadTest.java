package io.ipckit.core;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thread whose interrupt flag is set can use queues, longs and values for the first time: opening
 * their mapped files does not depend on the flag (before the fix it failed with
 * {@code UncheckedIOException(ClosedByInterruptException)}). Calls that need not wait work and leave
 * the flag set; blocking calls that must wait throw {@link InterruptedException}, as the JDK's do.
 */
class InterruptedThreadTest extends LeakCheckingTest {

    private interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} on a new thread that interrupts itself first. */
    private static void onInterruptedThread(Body body) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                body.run();
                f.complete(null);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "test-interrupted-user");
        t.setDaemon(true);
        t.start();
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw (Error) e.getCause();
        }
    }

    private static void assertFlagSet(String after) {
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag was cleared by " + after);
    }

    @Test
    void queue_firstUseOnInterruptedThread_offersAndSizes_blockingCallsThrowInterrupted() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.queue("irq");
            SharedQueue<String> bounded = m.queue("irq-bounded", 1);
            onInterruptedThread(() -> {
                assertTrue(q.offer("a"));
                assertFlagSet("offer");
                assertEquals(1, q.size());
                assertFlagSet("size");
                assertEquals("a", q.poll());
                assertFlagSet("poll");
                assertThrows(InterruptedException.class, q::take);
                assertFalse(Thread.currentThread().isInterrupted(), "InterruptedException clears the flag");

                Thread.currentThread().interrupt();
                assertTrue(bounded.offer("x"));
                assertFlagSet("a bounded offer");
                assertThrows(InterruptedException.class, () -> bounded.put("y"));
                Thread.currentThread().interrupt();
                assertThrows(InterruptedException.class, () -> bounded.offer("y", 10, TimeUnit.SECONDS));
            });
            assertEquals("x", bounded.poll(), "the bounded queue holds what was offered, nothing else");
            assertTrue(bounded.isEmpty());
        }
    }

    @Test
    void channel_openedOnInterruptedThread_works() throws Exception {
        try (Space space = Space.create()) {
            onInterruptedThread(() -> {
                try (Channel<String> c = space.channel("irq")) {
                    assertTrue(c.offer("a"));
                    assertEquals("a", c.poll());
                    assertFlagSet("a channel's open, offer and poll");
                }
            });
        }
    }

    @Test
    void sharedLong_firstUseOnInterruptedThread_works() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedLong n = m.sharedLong("irq-long");
            onInterruptedThread(() -> {
                assertEquals(1, n.incrementAndGet());
                assertFlagSet("incrementAndGet");
            });
            assertEquals(1, n.get());
        }
    }

    @Test
    void connectionOpenedOnInterruptedThread_usesValuesAndQueues() throws Exception {
        try (Manager m = Manager.embedded()) {
            m.value("irq-value", 7);
            m.queue("irq-q2").put("hello");
            String address = m.address();
            onInterruptedThread(() -> {
                try (Manager c = Manager.connect(address)) {
                    SharedValue<Integer> v = c.value("irq-value", 0);
                    assertEquals(7, v.get());
                    assertEquals("hello", c.<String>queue("irq-q2").poll());
                    assertEquals(5L, c.sharedLong("irq-long2").addAndGet(5));
                    assertFlagSet("connect and first uses");
                }
                assertFlagSet("close of the connection");
            });
        }
    }
}
