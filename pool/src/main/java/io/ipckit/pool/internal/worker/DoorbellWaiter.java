package io.ipckit.pool.internal.worker;

import io.ipckit.pool.internal.DoorbellProtocol;
import io.ipckit.pool.internal.WorkerSlots;

import io.ipckit.core.Channel;
import io.ipckit.core.internal.Backoff;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A worker's end of its doorbell ({@link DoorbellProtocol} describes the protocol): takes the next task,
 * spinning, yielding and parking as any channel wait does while the pool is busy, and once idle past
 * the yield phase, sleeping on its socket until the caller rings (or {@link #SLEEP_MILLIS} pass, 500 ms
 * by default: a bound for the unforeseen; system property {@value #SLEEP_PROPERTY}, for tests). Without
 * a doorbell (the caller has none, or the connection failed or broke) it parks as before. Its idle
 * strategy is one {@link Backoff} (typed as the final class, so each call binds statically), reset at the
 * start of each wait: no allocation per take. The worker's main thread only.
 */
final class DoorbellWaiter {
    static final String SLEEP_PROPERTY = "ipckit.pool.doorbellSleepMillis";
    static final long SLEEP_MILLIS = Long.getLong(SLEEP_PROPERTY, 500);

    private final Path socket;
    private final WorkerSlots slots;
    private final int slot;
    private SocketChannel channel;
    private Selector selector;
    private boolean registered;
    private boolean failed;
    private final ByteBuffer in = ByteBuffer.allocate(64);
    /** The {@link io.ipckit.core.internal.IdleStrategy} of {@link #take}, one wait at a time. */
    private final Backoff idle = new Backoff();

    DoorbellWaiter(Path spaceDir, WorkerSlots slots, int slot) {
        this.socket = DoorbellProtocol.socketFile(spaceDir);
        this.slots = slots;
        this.slot = slot;
    }

    /**
     * The next message of {@code tasks}, waiting as long as it takes.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    Object take(Channel<Object> tasks) throws InterruptedException {
        boolean waiting = false;
        while (true) {
            Object m = tasks.poll();
            if (m != null) {
                return m;
            }
            if (!waiting) {
                waiting = true;
                idle.reset(); // a fresh wait: only when the first look finds nothing, as Channel.poll does
            }
            if (idle.parksNext() && ready()) {
                slots.setSleeping(slot, true);
                VarHandle.fullFence();
                m = tasks.poll();
                if (m == null) {
                    sleep();
                }
                slots.setSleeping(slot, false);
                if (m != null) {
                    return m;
                }
                idle.reset();
            } else {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for a task");
                }
                idle.idle();
            }
        }
    }

    /** Whether the doorbell is connected and registered; connects on first use. */
    private boolean ready() {
        if (registered) {
            return true;
        }
        if (failed) {
            return false;
        }
        try {
            if (channel == null) {
                if (!Files.exists(socket)) {
                    failed = true;
                    return false;
                }
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(UnixDomainSocketAddress.of(socket));
                ByteBuffer hello = ByteBuffer.allocate(DoorbellProtocol.HELLO_BYTES).order(ByteOrder.nativeOrder());
                hello.putInt(slot).flip();
                while (hello.hasRemaining()) {
                    channel.write(hello);
                }
                channel.configureBlocking(false);
                selector = Selector.open();
                channel.register(selector, SelectionKey.OP_READ);
            }
            drain();
            return registered;
        } catch (IOException | RuntimeException e) {
            broken();
            return false;
        }
    }

    /** Sleeps until a ring (or the bound), then takes every byte waiting. */
    private void sleep() {
        try {
            selector.select(SLEEP_MILLIS);
            selector.selectedKeys().clear();
            drain();
        } catch (IOException | RuntimeException e) {
            broken();
        }
    }

    /** Reads what the caller sent: the ACK registers this worker, RINGs only wake it. */
    private void drain() throws IOException {
        while (true) {
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                throw new IOException("the pool closed the doorbell");
            }
            if (n == 0) {
                return;
            }
            for (int i = 0; i < n; i++) {
                if (in.get(i) == DoorbellProtocol.ACK) {
                    registered = true;
                }
            }
        }
    }

    /** The doorbell is unusable: poll from now on. */
    private void broken() {
        failed = true;
        registered = false;
        try {
            if (selector != null) {
                selector.close();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing a broken doorbell: polling goes on regardless
        }
    }
}
