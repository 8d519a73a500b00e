package io.ipckit.core;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python's {@code m.Barrier(parties, action)}: the action runs in the manager, once per generation, before any party passes. */
class SharedBarrierActionTest extends LeakCheckingTest {
    /** Counts the runs of the embedded tests' actions (an embedded manager runs them in this JVM). */
    private static final AtomicInteger RUNS = new AtomicInteger();

    @TempDir
    Path work;

    /** Each of three parties passes {@code rounds} times; returns what each read from the log when it passed. */
    private static List<Integer> passAll(SharedBarrier b, Path log, int round) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                fs.add(threads.submit(() -> {
                    b.await(30, TimeUnit.SECONDS);
                    return Files.readAllLines(log).size();
                }));
            }
            List<Integer> seen = new ArrayList<>();
            for (Future<Integer> f : fs) {
                seen.add(f.get(60, TimeUnit.SECONDS));
            }
            return seen;
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(120)
    void action_runsInTheManagerJvm_oncePerGeneration_beforeAnyPartyPasses() throws Exception {
        Path log = work.resolve("trips");
        Files.createFile(log);
        String logPath = log.toString();
        try (Manager m = Manager.start()) {
            SharedBarrier b = m.barrier("gen", 3, () -> {
                try {
                    Files.writeString(Path.of(logPath), ProcessHandle.current().pid() + "\n",
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, null);
            assertEquals(List.of(1, 1, 1), passAll(b, log, 0), "every party passed after the action ran");
            assertEquals(List.of(2, 2, 2), passAll(b, log, 1), "and once more in the next generation");
            assertEquals(List.of(String.valueOf(m.pid()), String.valueOf(m.pid())), Files.readAllLines(log),
                    "the action ran in the manager's JVM, once per generation");
        }
    }

    @Test
    @Timeout(60)
    void actionThatThrows_breaksTheBarrier_trippingPartyGetsTheCause_resetMendsIt() throws Exception {
        RUNS.set(0);
        try (Manager m = Manager.embedded()) {
            SharedBarrier b = m.barrier("throws", 2, () -> {
                if (RUNS.incrementAndGet() == 1) {
                    throw new IllegalStateException("the action failed on purpose");
                }
            }, null);
            ExecutorService threads = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> first = threads.submit(() -> b.await(30, TimeUnit.SECONDS));
                while (b.getNumberWaiting() < 1) {
                    Thread.sleep(5);
                }
                BrokenBarrierException tripper = assertThrows(BrokenBarrierException.class, () -> b.await(30, TimeUnit.SECONDS));
                assertTrue(tripper.getMessage().contains("action") && tripper.getMessage().contains("failed on purpose"),
                        tripper.getMessage());
                assertInstanceOf(IllegalStateException.class, tripper.getCause());
                ExecutionException other = assertThrows(ExecutionException.class, () -> first.get(30, TimeUnit.SECONDS));
                assertInstanceOf(BrokenBarrierException.class, other.getCause());
                assertTrue(b.isBroken());

                b.reset();
                Future<Integer> again = threads.submit(() -> b.await(30, TimeUnit.SECONDS));
                int mine = b.await(30, TimeUnit.SECONDS);
                assertEquals(1, mine + again.get(30, TimeUnit.SECONDS), "indexes 0 and 1");
                assertEquals(2, RUNS.get(), "the action ran once per trip");
            } finally {
                threads.shutdownNow();
                assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    @Timeout(60)
    void actionThatCallsItsOwnManager_isRefusedAtOnce_notAHang() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedMap<String, Integer> seen = m.map("seen");
            SharedBarrier b = m.barrier("self", 1, () -> seen.put("tripped", 1), null);
            BrokenBarrierException e = assertThrows(BrokenBarrierException.class, () -> b.await(30, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("barrier's action") && e.getCause().getMessage().contains("'seen'"),
                    e.getCause().getMessage());
            assertFalse(seen.containsKey("tripped"));
            assertEquals(0, seen.size(), "the manager still serves");
        }
    }

    @Test
    @Timeout(60)
    void reopening_withoutTheActionItHas_orWithOneItLacks_isRefusedNamingIt() {
        try (Manager m = Manager.embedded()) {
            m.barrier("with", 2, () -> { }, null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.barrier("with", 2));
            assertTrue(e.getMessage().contains("'with'") && e.getMessage().contains("with an action"), e.getMessage());
            m.barrier("with", 2, () -> { }, null); // with one: the first creator's is kept

            m.barrier("without", 2);
            IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                    () -> m.barrier("without", 2, () -> { }, null));
            assertTrue(e2.getMessage().contains("without an action"), e2.getMessage());
            assertThrows(NullPointerException.class, () -> m.barrier("x", 2, null, null));
        }
    }
}
