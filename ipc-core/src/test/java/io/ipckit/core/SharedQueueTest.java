package io.ipckit.core;

import io.ipckit.core.internal.channel.ChannelFiles;
import io.ipckit.core.test.LeakCheckingTest;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.ipckit.core.BlockingQueueContract.assertStillBlocked;
import static io.ipckit.core.BlockingQueueContract.async;
import static io.ipckit.core.BlockingQueueContract.failureOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is particular to {@link SharedQueue} against an embedded manager (Python verbs, joinable queues, views,
 * handles); the blocking-queue contract is {@link BlockingQueueContract}, the Collection one SharedQueueContractTest.
 */
class SharedQueueTest extends LeakCheckingTest {

    @Test
    void putAndTake_allVerbs_areFifo() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<Integer> q = m.queue("fifo");
            assertTrue(q.empty());
            q.put(0);
            assertTrue(q.offer(1));
            assertTrue(q.offer(2, 1, TimeUnit.SECONDS));
            assertTrue(q.add(3));
            q.putNowait(4);
            q.put(5, 1, TimeUnit.SECONDS);
            for (int i = 6; i < 100; i++) {
                q.put(i);
            }
            assertEquals(100, q.qsize());
            assertEquals(100, q.size());
            assertFalse(q.isEmpty());
            assertFalse(q.full(), "an unbounded queue is never full");
            assertEquals(0, q.maxsize());
            assertEquals(Integer.MAX_VALUE, q.remainingCapacity());

            List<Integer> got = new ArrayList<>();
            got.add(q.take());
            got.add(q.poll());
            got.add(q.poll(1, TimeUnit.SECONDS));
            got.add(q.get());
            got.add(q.get(1, TimeUnit.SECONDS));
            got.add(q.getNowait());
            got.add(q.remove());
            assertEquals(10, q.drainTo(got, 10));
            assertEquals(83, q.drainTo(got));
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add(i);
            }
            assertEquals(expected, got);
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void boundedQueue_whenFull_putBlocksOfferFailsPutNowaitThrows() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.queue("bounded", 2);
            q.put("a");
            q.put("b");
            assertTrue(q.full());
            assertEquals(0, q.remainingCapacity());
            assertFalse(q.offer("x"));
            long t0 = System.nanoTime();
            assertFalse(q.offer("x", 100, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(100), "offer waited its timeout");
            FullException full = assertThrows(FullException.class, () -> q.putNowait("x"));
            assertTrue(full.getMessage().contains("'bounded'") && full.getMessage().contains("maxsize 2"),
                    full.getMessage());
            IllegalStateException add = assertThrows(IllegalStateException.class, () -> q.add("x"));
            assertTrue(add.getMessage().contains("full"), add.getMessage());
            assertThrows(FullException.class, () -> q.put("x", 50, TimeUnit.MILLISECONDS));
            assertEquals(2, q.size(), "nothing was put by the refused calls");

            CompletableFuture<Object> putter = async(() -> {
                q.put("c");
                return "put";
            });
            assertStillBlocked(putter);
            assertEquals("a", q.take());
            assertEquals("put", putter.get(5, TimeUnit.SECONDS));
            assertEquals("b", q.take());
            assertEquals("c", q.take());
            assertFalse(q.full());
        }
    }

    @Test
    void poll_whenEmpty_timesOutWithNullAndPythonVerbsThrowEmpty() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.queue("empty");
            long t0 = System.nanoTime();
            assertNull(q.poll(100, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(100), "poll waited its timeout");
            assertNull(q.poll());
            EmptyException e = assertThrows(EmptyException.class, () -> q.get(50, TimeUnit.MILLISECONDS));
            assertTrue(e.getMessage().contains("'empty'"), e.getMessage());
            assertThrows(EmptyException.class, q::getNowait);
            assertThrows(java.util.NoSuchElementException.class, q::remove);
            q.put("later");
            assertEquals("later", q.get(1, TimeUnit.SECONDS), "the queue is usable after");
        }
    }

    @Test
    void joinableQueue_join_waitsUntilEveryItemIsDone() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<Integer> q = m.joinableQueue("jobs");
            assertTrue(q.isJoinable());
            assertTrue(q.join(10, TimeUnit.MILLISECONDS), "nothing put: nothing to wait for");
            for (int i = 0; i < 3; i++) {
                q.put(i);
            }
            assertEquals(3, q.unfinishedTasks());
            assertFalse(q.join(50, TimeUnit.MILLISECONDS));
            CompletableFuture<Object> joiner = async(() -> {
                q.join();
                return "joined";
            });
            q.take();
            q.taskDone();
            q.take();
            q.take();
            q.taskDone();
            assertEquals(1, q.unfinishedTasks());
            assertStillBlocked(joiner);
            q.taskDone();
            assertEquals("joined", joiner.get(5, TimeUnit.SECONDS));
            assertEquals(0, q.unfinishedTasks());
            q.join();
        }
    }

    @Test
    void joinableQueue_taskDoneMoreTimesThanItems_throws() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.joinableQueue("jobs");
            q.put("a");
            IllegalStateException early = assertThrows(IllegalStateException.class, () -> {
                q.taskDone();
                q.taskDone();
            });
            assertTrue(early.getMessage().contains("taskDone() called more times"), early.getMessage());
            assertTrue(early.getMessage().contains("'jobs'"), early.getMessage());
            assertEquals("a", q.take());
            assertThrows(IllegalStateException.class, q::taskDone, "the one taskDone() allowed was used");
            assertTrue(q.join(1, TimeUnit.SECONDS));
            q.put("b");
            assertEquals("b", q.take());
            q.taskDone();
            assertTrue(q.join(1, TimeUnit.SECONDS), "the queue is usable after");
        }
    }

    @Test
    void joinableQueue_clear_countsDiscardedItemsDone() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.joinableQueue("jobs");
            q.put("a");
            q.put("b");
            q.clear();
            assertTrue(q.isEmpty());
            assertEquals(0, q.unfinishedTasks());
            assertTrue(q.join(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void plainQueue_taskDoneAndJoin_areUnsupported() {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.queue("plain");
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, q::taskDone);
            assertTrue(e.getMessage().contains("joinableQueue(\"plain\")"), e.getMessage());
            assertThrows(UnsupportedOperationException.class, q::join);
        }
    }

    @Test
    void reopen_withAnotherMaxsizeOrJoinability_isRefusedNamingBoth() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.queue("q", 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.queue("q", 6));
            assertTrue(e.getMessage().contains("maxsize 5") && e.getMessage().contains("maxsize 6"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.queue("q"));
            assertTrue(e.getMessage().contains("maxsize 5") && e.getMessage().contains("unbounded"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.joinableQueue("q", 5));
            assertTrue(e.getMessage().contains("joinable") && e.getMessage().contains("plain"), e.getMessage());

            SharedQueue<String> same = m.queue("q", 5);
            assertEquals(q, same);
            same.put("x");
            assertEquals("x", q.poll(), "same name, same queue");
        }
    }

    @Test
    void name_ofAnotherType_isRefused() {
        try (Manager m = Manager.embedded()) {
            m.map("thing");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.queue("thing"));
            assertTrue(e.getMessage().contains("map") && e.getMessage().contains("queue"), e.getMessage());
            m.queue("line");
            assertThrows(IllegalArgumentException.class, () -> m.list("line"));
            assertThrows(IllegalArgumentException.class, () -> m.queue("bad/name"));
            assertThrows(IllegalArgumentException.class, () -> m.queue("x".repeat(99)), "q.<name> must fit");
            m.queue("x".repeat(98));
        }
    }

    @Test
    void close_wakesABlockedTaker_andOtherHandlesStillWork() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.queue("closing");
            CompletableFuture<String> blocked = async(q::take);
            assertStillBlocked(blocked);
            q.close();
            assertInstanceOf(ChannelClosedException.class, failureOf(blocked));
            assertTrue(q.isClosed());
            ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> q.put("x"));
            assertTrue(e.getMessage().contains("'closing'"), e.getMessage());
            q.close();

            SharedQueue<String> other = m.queue("closing");
            other.put("still");
            assertEquals("still", other.take());
        }
    }

    @Test
    void managerClosed_wakesABlockedTakerAndLaterCallsFail() throws Exception {
        Manager m = Manager.embedded();
        SharedQueue<String> q;
        CompletableFuture<String> taker;
        try {
            q = m.queue("orphan");
            SharedQueue<String> waiting = q;
            taker = async(waiting::take);
            assertStillBlocked(taker);
        } finally {
            m.close();
        }
        Throwable woken = failureOf(taker);
        assertTrue(woken instanceof ChannelClosedException || woken instanceof ManagerGoneException, woken.toString());
        assertThrows(ManagerGoneException.class, q::poll);
    }

    @Test
    void views_showWhatIsNotTaken_withoutTakingIt() {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.queue("views");
            assertNull(q.peek());
            assertThrows(java.util.NoSuchElementException.class, q::element);
            assertEquals("[]", q.toString());
            q.addAll(List.of("a", "b", "c"));
            assertEquals("a", q.peek());
            assertEquals("a", q.element());
            assertEquals("[a, b, c]", q.toString());
            assertTrue(q.contains("b"));
            assertFalse(q.contains("x"));
            assertFalse(q.contains(null));
            assertArrayEquals(new Object[] {"a", "b", "c"}, q.toArray());
            assertEquals(List.of("a", "b", "c"), new ArrayList<>(q));
            assertEquals(3, q.size(), "views take nothing");
            assertEquals("a", q.poll());
            assertEquals("b", q.peek());
            assertThrows(NullPointerException.class, () -> q.put(null));
        }
    }

    @Test
    void bounded_removeFromTheMiddle_freesItsSlot() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.queue("slots", 3);
            q.addAll(List.of("a", "b", "c"));
            assertFalse(q.offer("d"));
            assertTrue(q.remove("b"));
            assertFalse(q.remove("b"), "taken once");
            assertEquals(2, q.size());
            assertEquals(1, q.remainingCapacity());
            assertTrue(q.offer("d"), "the slot of the message removed is free");
            assertFalse(q.offer("e"));
            assertTrue(q.removeIf(s -> s.equals("a") || s.equals("d")));
            assertEquals(2, q.remainingCapacity());
            q.put("f");
            assertEquals(List.of("c", "f"), List.of(q.take(), q.take()), "order kept, removed ones skipped");
            assertEquals(3, q.remainingCapacity());
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void joinable_messagesRemovedInPlace_countAsDone() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.joinableQueue("done", 10);
            q.addAll(List.of("a", "b", "c", "d", "e"));
            assertTrue(q.remove("b"));
            assertTrue(q.removeAll(List.of("c", "x")));
            assertEquals(3, q.unfinishedTasks());
            java.util.Iterator<String> it = q.iterator();
            assertEquals("a", it.next());
            assertEquals("a", q.poll(), "a consumer takes it first");
            it.remove(); // does nothing: it was taken
            assertEquals(2, q.size());
            assertEquals(3, q.unfinishedTasks(), "a, taken by the consumer, still needs its taskDone()");
            assertEquals("d", it.next());
            it.remove();
            assertThrows(IllegalStateException.class, it::remove);
            assertEquals(2, q.unfinishedTasks());
            assertEquals(List.of("e"), new ArrayList<>(q));
            q.taskDone(); // for a
            q.clear();
            assertEquals(0, q.unfinishedTasks());
            assertTrue(q.join(1, TimeUnit.SECONDS));
            assertEquals(10, q.remainingCapacity());
        }
    }

    @Test
    void views_fromAFilterOfTheSameQueue_andRetainAll_work() {
        try (Manager m = Manager.embedded()) {
            SharedQueue<Integer> q = m.queue("nested");
            for (int i = 0; i < 200; i++) {
                q.add(i % 100);
            }
            // a view started inside another on the same thread reads with its own tailer
            assertTrue(q.removeIf(x -> x < 50 && q.contains(x + 50)));
            assertEquals(100, q.size());
            assertTrue(q.retainAll(List.of(60, 70, 80)));
            assertEquals(List.of(60, 70, 80, 60, 70, 80), new ArrayList<>(q));
            assertTrue(q.containsAll(List.of(60, 80)));
            assertFalse(q.containsAll(List.of(60, 81)));
            assertEquals(6, q.stream().count());
            assertEquals(Integer.valueOf(60), q.peek());
        }
    }

    @Test
    void view_ofAMessageThatCannotBeDecoded_throwsAndLeavesIt() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.queue("undecodable");
            q.put("before");
            Path queueDir = m.directory().resolve("channels/q.undecodable/queue");
            try (SingleChronicleQueue raw = ChannelFiles.open(queueDir, Channel.DEFAULT_ROLL_CYCLE, 1 << 20);
                 ExcerptAppender appender = raw.createAppender()) {
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().writeInt(0).write(new byte[] {(byte) 0xFF, 0x13, 0x77, 0x01});
                }
            }
            q.put("after");
            assertEquals("before", q.peek(), "the view stops before the bad message");
            SerializationException e = assertThrows(SerializationException.class, () -> q.contains("after"));
            assertTrue(e.getMessage().contains("stays in the channel"), e.getMessage());
            assertTrue(q.toString().contains("'undecodable'") && q.toString().contains("stays in the channel"),
                    q.toString());
            assertEquals("before", q.poll(), "the view took nothing");
            q.clear(); // takes the bad message and "after" without decoding them
            assertTrue(q.isEmpty());
            assertNull(q.poll());
        }
    }

    @Test
    void interruptedThread_pollWithZeroTimeout_throwsAsTheJdk() {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.queue("irq-poll");
            Thread.currentThread().interrupt();
            try {
                assertThrows(InterruptedException.class, () -> q.poll(0, TimeUnit.SECONDS));
                assertFalse(Thread.currentThread().isInterrupted(), "the exception clears the flag");
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void handle_throughTheCodec_reachesTheSameQueue() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.joinableQueue("coded", 3);
            Codec codec = Codec.defaults();
            byte[] bytes = codec.encode(q);
            @SuppressWarnings("unchecked")
            SharedQueue<String> copy = (SharedQueue<String>) codec.decode(bytes, 0, bytes.length);
            assertNotEquals(System.identityHashCode(q), System.identityHashCode(copy));
            assertEquals(q, copy);
            assertEquals(3, copy.maxsize());
            assertTrue(copy.isJoinable());
            copy.put("via copy");
            assertEquals("via copy", q.take());
            copy.taskDone();
            assertTrue(q.join(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void closedCopy_doesNotCloseTheOriginal() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<String> q = m.queue("copies");
            byte[] bytes = Codec.defaults().encode(q);
            @SuppressWarnings("unchecked")
            SharedQueue<String> copy = (SharedQueue<String>) Codec.defaults().decode(bytes, 0, bytes.length);
            copy.close();
            q.put("x");
            assertEquals("x", q.take());
            assertThrows(ChannelClosedException.class, copy::poll);
        }
    }
}
