package io.ipckit.pool.internal.caller;

import io.ipckit.pool.internal.DoorbellProtocol;
import io.ipckit.pool.internal.WorkerSlots;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The caller's end of the pool's doorbells ({@link DoorbellProtocol} describes them and why no wake-up
 * is lost); the worker's end is {@code worker.DoorbellWaiter}.
 *
 * <p>Accepting and registering runs on the result thread ({@link #acceptPending}); {@link #ring} on any
 * thread. When the socket cannot be made (a space path too long for a socket address, a platform without
 * Unix domain sockets) there are no doorbells and idle workers poll as before.
 */
final class Doorbells implements AutoCloseable {
    private final ServerSocketChannel server;
    private final AtomicReferenceArray<SocketChannel> bells;
    private final List<Pending> pending = new ArrayList<>();

    private Doorbells(ServerSocketChannel server, int size) {
        this.server = server;
        this.bells = new AtomicReferenceArray<>(size);
    }

    /**
     * Listens in {@code spaceDir} for the workers of {@code size} slots; null when it cannot (then workers
     * poll). Before the slots file is published: a worker that finds no socket never looks again.
     */
    static Doorbells open(Path spaceDir, int size) {
        ServerSocketChannel s = null;
        try {
            s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(DoorbellProtocol.socketFile(spaceDir)));
            s.configureBlocking(false);
            return new Doorbells(s, size);
        } catch (IOException | RuntimeException e) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing was registered yet
                }
            }
            return null;
        }
    }

    /** Accepts new worker connections and registers those that said their slot. Result thread only. */
    void acceptPending() {
        try {
            SocketChannel c;
            while ((c = server.accept()) != null) {
                c.configureBlocking(false);
                pending.add(new Pending(c));
            }
        } catch (IOException e) {
            // the listening socket is gone (the pool is ending): workers go on polling
        }
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            try {
                if (p.channel.read(p.hello) < 0) {
                    it.remove();
                    p.channel.close();
                } else if (!p.hello.hasRemaining()) {
                    it.remove();
                    register(p.hello.flip().getInt(), p.channel);
                }
            } catch (IOException | RuntimeException e) {
                it.remove();
                closeQuietly(p.channel);
            }
        }
    }

    private void register(int slot, SocketChannel c) throws IOException {
        if (slot < 0 || slot >= bells.length()) {
            c.close();
            return;
        }
        closeQuietly(bells.getAndSet(slot, c));
        c.write(ByteBuffer.wrap(new byte[] {DoorbellProtocol.ACK}));
    }

    /**
     * Wakes one sleeping worker, if any sleeps: call after each put on the task channel. Any thread; does
     * not block (a worker whose socket buffer is full has unread rings already).
     */
    void ring(WorkerSlots slots) {
        java.lang.invoke.VarHandle.fullFence();
        if (slots.sleepers() == 0) {
            return;
        }
        for (int i = 0; i < bells.length(); i++) {
            if (slots.sleeping(i) && slots.claimWake(i) && write(bells.get(i))) {
                return;
            }
        }
    }

    /**
     * Writes a RING. An interrupted caller would close the channel (interruptible I/O), ending that
     * worker's doorbell for good: its interrupt is set aside for the write and restored after.
     */
    private static boolean write(SocketChannel c) {
        if (c == null) {
            return false;
        }
        boolean interrupted = Thread.interrupted();
        try {
            c.write(ByteBuffer.wrap(new byte[] {DoorbellProtocol.RING}));
            return true;
        } catch (IOException e) {
            return false; // that worker is dying: its death is handled as any other; try the next sleeper
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes the listening socket and every connection. Any thread; once the pool ends. */
    @Override
    public void close() {
        closeQuietly(server);
        for (int i = 0; i < bells.length(); i++) {
            closeQuietly(bells.getAndSet(i, null));
        }
        for (Pending p : pending) {
            closeQuietly(p.channel);
        }
        pending.clear();
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing: nothing left to do with it
            }
        }
    }

    /** A connection whose hello has not fully arrived. */
    private static final class Pending {
        final SocketChannel channel;
        final ByteBuffer hello = ByteBuffer.allocate(DoorbellProtocol.HELLO_BYTES).order(ByteOrder.nativeOrder());

        Pending(SocketChannel channel) {
            this.channel = channel;
        }
    }
}
