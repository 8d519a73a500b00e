package io.ipckit.pool.internal.caller;

import io.ipckit.core.Channel;
import io.ipckit.core.Codec;
import io.ipckit.core.Space;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.pool.internal.Messages;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A caller waiting for its own result reads the result channel itself, and hands the rest to the result thread. */
class ResultReaderTest extends LeakCheckingTest {
    private final Codec codec = Codec.defaults();

    @Test
    void readFor_ownResultCompletesHere_othersGoToTheResultThreadInOrder() throws Exception {
        try (Space space = Space.create()) {
            Channel<Object> results = space.channel("results");
            PendingTasks pending = new PendingTasks(new PoolLog("test"));
            CompletableFuture<Object[]> mine = new CompletableFuture<>();
            CompletableFuture<Object[]> other = new CompletableFuture<>();
            long otherSeq = pending.add((values, error) -> other.complete(values), null, null);
            long mySeq = pending.add((values, error) -> mine.complete(values), null, null);
            ResultReader reader = new ResultReader(results, codec, pending, new Inbox(Thread.currentThread()),
                    new PoolLog("test"));
            byte[] ready = Messages.result(Messages.READY, 0, 99, null, 0);
            results.put(ready);
            results.put(done(otherSeq, "theirs"));
            results.put(done(mySeq, "mine"));

            assertTrue(reader.readFor(mySeq), "a message was read");
            assertTrue(reader.readFor(mySeq));
            assertFalse(mine.isDone(), "not its own yet");
            assertTrue(reader.readFor(mySeq));

            assertArrayEquals(new Object[] {"mine"}, mine.getNow(null), "completed on the caller's thread");
            assertFalse(pending.contains(mySeq), "owned by the caller: a death handled next cannot fail it");
            assertFalse(other.isDone(), "someone else's result is the result thread's to complete");
            assertTrue(pending.contains(otherSeq));
            assertFalse(reader.readFor(mySeq), "the channel is empty");
            List<Object> handed = new ArrayList<>();
            reader.drain(handed::add);
            assertEquals(2, handed.size(), "handed off in the order they were read: " + handed);
            assertArrayEquals(ready, (byte[]) handed.get(0));
            assertEquals(otherSeq, Messages.seq((byte[]) handed.get(1)));
            assertNull(reader.poll());
        }
    }

    @Test
    void poll_handedOffFirst_thenTheChannel() throws Exception {
        try (Space space = Space.create()) {
            Channel<Object> results = space.channel("results");
            PendingTasks pending = new PendingTasks(new PoolLog("test"));
            ResultReader reader = new ResultReader(results, codec, pending, new Inbox(Thread.currentThread()),
                    new PoolLog("test"));
            byte[] first = done(1, "first");
            byte[] second = done(2, "second");
            results.put(first);
            results.put(second);

            assertTrue(reader.readFor(3), "task 3 waits: task 1's result is handed off");

            assertArrayEquals(first, (byte[]) reader.poll());
            assertArrayEquals(second, (byte[]) reader.poll());
            assertNull(reader.poll());
        }
    }

    private byte[] done(long seq, Object value) {
        byte[] payload = codec.encode(new Object[] {value});
        return Messages.result(Messages.DONE, 0, seq, payload, payload.length);
    }
}
