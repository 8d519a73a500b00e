package io.ipckit.core;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link BlockingQueueContract} against a {@link Channel}, which has the blocking verbs but is not a
 * {@link BlockingQueue}: a small adapter passes them through; {@code drainTo} is the adapter's, so it is not tested.
 */
class ChannelBlockingContractTest extends BlockingQueueContract {
    private static Space space;
    private static final AtomicInteger NAMES = new AtomicInteger();

    @BeforeAll
    static void createSpace() {
        space = Space.create();
    }

    @AfterAll
    static void closeSpace() {
        space.close();
    }

    @Override
    protected BlockingQueue<Integer> create(int capacity) {
        Channel.Builder<Integer> b = space.channelBuilder("c" + NAMES.incrementAndGet());
        return new ChannelQueue(capacity == 0 ? b.open() : b.capacity(capacity).open());
    }

    @Override
    protected void closeHandle(BlockingQueue<Integer> q) {
        ((ChannelQueue) q).channel.close();
    }

    @Override
    protected boolean hasDrainTo() {
        return false;
    }

    /** The channel's own verbs under BlockingQueue's names; nothing of its own. */
    private static final class ChannelQueue extends AbstractQueue<Integer> implements BlockingQueue<Integer> {
        final Channel<Integer> channel;

        ChannelQueue(Channel<Integer> channel) {
            this.channel = channel;
        }

        @Override
        public boolean offer(Integer e) {
            return channel.offer(e);
        }

        @Override
        public void put(Integer e) throws InterruptedException {
            channel.put(e);
        }

        @Override
        public boolean offer(Integer e, long timeout, TimeUnit unit) throws InterruptedException {
            return channel.offer(e, timeout, unit);
        }

        @Override
        public Integer take() throws InterruptedException {
            return channel.take();
        }

        @Override
        public Integer poll(long timeout, TimeUnit unit) throws InterruptedException {
            return channel.poll(timeout, unit);
        }

        @Override
        public Integer poll() {
            return channel.poll();
        }

        @Override
        public int remainingCapacity() {
            return channel.remainingCapacity();
        }

        @Override
        public int size() {
            return channel.size();
        }

        @Override
        public boolean isEmpty() {
            return channel.isEmpty();
        }

        @Override
        public Integer peek() {
            throw new UnsupportedOperationException("a channel has no peek");
        }

        @Override
        public Iterator<Integer> iterator() {
            throw new UnsupportedOperationException("a channel has no iterator");
        }

        @Override
        public int drainTo(Collection<? super Integer> c) {
            throw new UnsupportedOperationException("a channel has no drainTo");
        }

        @Override
        public int drainTo(Collection<? super Integer> c, int maxElements) {
            throw new UnsupportedOperationException("a channel has no drainTo");
        }
    }
}
