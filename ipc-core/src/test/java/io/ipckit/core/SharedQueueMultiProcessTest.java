package io.ipckit.core;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.HandleChildMain;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.SharedObjectsChildMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared queues used by real child JVMs that receive the queue's handle. */
class SharedQueueMultiProcessTest extends LeakCheckingTest {
    @TempDir
    Path work;

    /**
     * The example ipckit comes from, as written in Python:
     * <pre>
     * with Manager() as m:
     *     q = m.Queue()
     *     writer: for c in "python": q.put(c)
     *     reader: for _ in range(q.qsize()): print(q.get())
     * </pre>
     */
    @Test
    @Timeout(90)
    void pythonExample_writerThenReaderJvm_readerPrintsTheLettersInOrder() throws Exception {
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            SharedQueue<String> q = m.queue("letters");
            String handle = HandleChildMain.encode(q);

            Process writer = children.start(SharedObjectsChildMain.class, handle, "put-letters", "python");
            assertEquals(0, children.await(writer, 60), children.logOf(writer));
            assertEquals(6, q.qsize(), "the writer's letters wait in the queue after it exited");

            Process reader = children.start(SharedObjectsChildMain.class, handle, "read-qsize");
            assertEquals(0, children.await(reader, 60), children.logOf(reader));
            List<String> printed = children.logOf(reader).lines()
                    .filter(l -> l.startsWith("item ")).map(l -> l.substring(5)).collect(Collectors.toList());
            assertEquals(List.of("p", "y", "t", "h", "o", "n"), printed, children.logOf(reader));
            assertTrue(q.isEmpty());
        }
    }

    @Test
    @Timeout(90)
    void managerKilled_blockedJoinAndTakeWakeWithManagerGone() throws Exception {
        Manager m = Manager.start();
        try {
            SharedQueue<String> jobs = m.joinableQueue("jobs");
            SharedQueue<String> empty = m.queue("empty");
            jobs.put("never done");
            CompletableFuture<Object> joiner = onThread(() -> {
                jobs.join();
                return "joined";
            });
            CompletableFuture<Object> taker = onThread(empty::take);
            assertThrows(TimeoutException.class, () -> joiner.get(300, TimeUnit.MILLISECONDS), "join waits");
            assertFalse(taker.isDone(), "take waits");

            new ProcessBuilder("kill", "-9", Long.toString(m.pid())).start().waitFor();
            ProcessHandle.of(m.pid()).ifPresent(p -> p.onExit().join());
            for (CompletableFuture<Object> f : List.of(joiner, taker)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
                assertInstanceOf(ManagerGoneException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains(m.directory().toString()), e.getCause().getMessage());
            }
        } finally {
            m.close();
        }
    }

    private interface Blocking {
        Object run() throws Exception;
    }

    /** Runs {@code b} on a thread of its own. */
    private static CompletableFuture<Object> onThread(Blocking b) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(b.run());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "test-blocked-caller");
        t.setDaemon(true);
        t.start();
        return f;
    }

    @Test
    @Timeout(90)
    void removeInPlace_racingAConsumerJvm_eachItemIsTakenOnce() throws Exception {
        int n = 3_000;
        try (Manager m = Manager.embedded(); Children children = new Children(work)) {
            SharedQueue<Integer> q = m.queue("raced");
            Path out = work.resolve("consumer.txt");
            Process consumer = children.start(SharedObjectsChildMain.class, HandleChildMain.encode(q), "consume",
                    out.toString());
            List<Integer> removed = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                q.put(i);
                if (i % 3 == 0 && q.remove(i - i % 6)) { // the consumer races this one's claim word
                    removed.add(i - i % 6);
                }
            }
            q.put(SharedObjectsChildMain.STOP);
            assertEquals(0, children.await(consumer, 60), children.logOf(consumer));

            List<Integer> took = Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                    .map(Integer::valueOf).collect(Collectors.toList());
            for (int i = 1; i < took.size(); i++) {
                assertTrue(took.get(i - 1) < took.get(i), "FIFO: the consumer sees increasing items");
            }
            Set<Integer> both = new HashSet<>(took);
            both.retainAll(removed);
            assertEquals(Set.of(), both, "no item both removed and consumed");
            assertEquals(n, took.size() + removed.size(), "no item lost: consumed " + took.size() + ", removed "
                    + removed.size());
            assertTrue(q.isEmpty());
            assertEquals(0, q.size());
            System.out.println("removed in place " + removed.size() + ", consumed " + took.size());
        }
    }

    @Test
    @Timeout(90)
    void competingConsumerJvms_eachItemIsTakenByExactlyOne() throws Exception {
        int n = 5_000;
        try (Manager m = Manager.embedded(); Children children = new Children(work)) {
            SharedQueue<Integer> q = m.queue("work", 100);
            String handle = HandleChildMain.encode(q);
            Path[] outs = {work.resolve("c0.txt"), work.resolve("c1.txt")};
            List<Process> consumers = new ArrayList<>();
            for (Path out : outs) {
                consumers.add(children.start(SharedObjectsChildMain.class, handle, "consume", out.toString()));
            }
            for (int i = 0; i < n; i++) {
                q.put(i); // bounded: blocks until the consumers make room
            }
            q.put(SharedObjectsChildMain.STOP);
            q.put(SharedObjectsChildMain.STOP);
            for (Process p : consumers) {
                assertEquals(0, children.await(p, 60), children.logOf(p));
            }

            List<Integer> all = new ArrayList<>();
            for (Path out : outs) {
                List<Integer> took = Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                        .map(Integer::valueOf).collect(Collectors.toList());
                for (int i = 1; i < took.size(); i++) {
                    assertTrue(took.get(i - 1) < took.get(i), "FIFO: each consumer sees increasing items");
                }
                all.addAll(took);
                System.out.println(out.getFileName() + " took " + took.size() + " items");
            }
            Set<Integer> distinct = new HashSet<>(all);
            assertEquals(all.size(), distinct.size(), "no item taken twice");
            assertEquals(n, distinct.size(), "no item lost");
            for (int i = 0; i < n; i++) {
                assertTrue(distinct.contains(i), "missing " + i);
            }
            assertTrue(q.isEmpty());
        }
    }
}
