package io.ipckit.pool.internal.caller;

import io.ipckit.core.Channel;
import io.ipckit.core.Codec;
import io.ipckit.core.SerializationException;
import io.ipckit.pool.internal.Messages;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Who reads the result channel: the result thread, or a caller waiting for its own task's result (a
 * synchronous {@code apply}) while it spins, as {@code ManagerClient} lets a caller read its own reply.
 * One reader at a time holds {@link #reading}; a caller that takes a message that is not its own hands
 * it to the result thread ({@link #handOff}) before it lets the lock go, and takes its own task out of
 * the {@link PendingTasks} table under the lock too. So, when the result thread holds the lock, every
 * result a worker has put is either in the channel, handed off, or already owned by its caller: a
 * worker's death, handled after {@link #drain}, never fails a task whose result came back.
 *
 * <p>Thread role: shared. {@link #poll} and {@link #drain} are the result thread's; {@link #readFor} is
 * for a caller thread. A caller thread that reads keeps a reader of the channel (a Chronicle tailer)
 * until the pool ends. No method blocks, except {@link #drain}, for as long as a caller's one poll.
 */
final class ResultReader {
    private final Channel<Object> results;
    private final Codec codec;
    private final PendingTasks pending;
    private final Inbox inbox;
    private final PoolLog log;
    private final ReentrantLock reading = new ReentrantLock();
    /**
     * Callers reading their own results now ({@link #ownReading}): meanwhile the result thread leaves the
     * channel to them (they hand it whatever is not theirs), rather than race them for it.
     */
    private final java.util.concurrent.atomic.AtomicInteger ownReaders = new java.util.concurrent.atomic.AtomicInteger();
    private final ConcurrentLinkedQueue<Object> handOff = new ConcurrentLinkedQueue<>();

    ResultReader(Channel<Object> results, Codec codec, PendingTasks pending, Inbox inbox, PoolLog log) {
        this.results = results;
        this.codec = codec;
        this.pending = pending;
        this.inbox = inbox;
        this.log = log;
    }

    /**
     * The next result-channel message for the result thread: one a caller handed off, else one from the
     * channel unless a caller reads it now. Result thread.
     *
     * @return null when there is none (or a caller holds the channel)
     * @throws SerializationException when the message cannot be decoded (it is in the dead letters)
     */
    Object poll() {
        Object m = handOff.poll();
        if (m != null || ownReaders.get() > 0 || !reading.tryLock()) {
            return m;
        }
        try {
            return results.poll();
        } finally {
            reading.unlock();
        }
    }

    /** Hands every message already handed off or in the channel to {@code handler}. Result thread. */
    void drain(Consumer<Object> handler) {
        reading.lock();
        try {
            Object m;
            while ((m = handOff.poll()) != null) {
                handler.accept(m);
            }
            while (true) {
                try {
                    m = results.poll();
                } catch (SerializationException e) {
                    log.warn(e.getMessage());
                    continue;
                }
                if (m == null) {
                    return;
                }
                handler.accept(m);
            }
        } finally {
            reading.unlock();
        }
    }

    /**
     * A caller begins ({@code +1}) or ends ({@code -1}) reading its own result with {@link #readFor}: while
     * any does, {@link #poll} reads only what callers handed off. Caller thread.
     */
    void ownReading(int delta) {
        ownReaders.addAndGet(delta);
    }

    /**
     * Reads one message of the channel for a caller that waits for task {@code seq}, unless another
     * thread reads it now: its own result completes the task here (its sink runs on this thread); any
     * other message goes to the result thread. Caller thread; the task's sink must run no user code.
     *
     * @return whether a message was read
     */
    boolean readFor(long seq) {
        if (!reading.tryLock()) {
            return false;
        }
        byte[] own = null;
        PendingTasks.Pending p = null;
        try {
            Object o;
            try {
                o = results.poll();
            } catch (SerializationException e) {
                log.warn(e.getMessage());
                return true;
            } catch (RuntimeException e) {
                return false; // the pool is ending (its space closed): the result thread fails the task
            }
            if (o == null) {
                return false;
            }
            byte[] m = Messages.of(o);
            if (m != null && (Messages.kind(m) == Messages.DONE || Messages.kind(m) == Messages.FAILED)
                    && Messages.seq(m) == seq) {
                own = m;
                p = pending.remove(seq); // under the lock: a death handled next sees it gone
            } else {
                handOff.add(o);
            }
        } finally {
            reading.unlock();
        }
        if (own == null) {
            inbox.wake();
        } else if (p != null) {
            ResultAgent.deliver(codec, own, p, pending);
        }
        return true;
    }
}
