package io.ipckit.core.internal.manager.client;

import io.ipckit.core.Channel;
import io.ipckit.core.ChannelClosedException;
import io.ipckit.core.ManagerGoneException;
import io.ipckit.core.SerializationException;
import io.ipckit.core.Space;
import io.ipckit.core.internal.Backoff;
import io.ipckit.core.internal.Closer;
import io.ipckit.core.internal.codec.Failures;
import io.ipckit.core.internal.jfr.JfrEvents;
import io.ipckit.core.internal.manager.DispatcherThread;
import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.Remote;
import io.ipckit.core.internal.manager.protocol.ManagerProtocol;
import io.ipckit.core.internal.manager.protocol.Operation;
import io.ipckit.core.internal.manager.protocol.Protocol;
import io.ipckit.core.internal.manager.protocol.Protocol.Reply;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client side of the protocol ({@link Protocol}): sends requests to the manager and waits for their
 * replies. Safe for any number of threads: a waiting thread reads the reply channel itself when no other
 * thread does, and hands replies of other calls to their threads. A wait fails with
 * {@link ManagerGoneException} within {@link #LIVENESS_MILLIS} ms of the manager's death.
 */
public final class ManagerClient implements AutoCloseable {
    /** How often a waiting caller checks that the manager lives. */
    public static final long LIVENESS_MILLIS = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Space space;
    private final String address;
    private final long clientId;
    private final long managerPid;
    private final ManagerWatch watch;
    private final Channel<Request> requests;
    private final Channel<Reply> replies;
    private final AtomicLong calls = new AtomicLong();
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final ReentrantLock reading = new ReentrantLock();
    private volatile boolean closed;
    private volatile boolean gone;

    private ManagerClient(Space space, String address, ManagerLayout.Info info) {
        this.space = space;
        this.address = address;
        this.clientId = RANDOM.nextLong() & Long.MAX_VALUE;
        this.managerPid = info.pid;
        this.watch = new ManagerWatch(space.directory(), info.pid);
        this.requests = space.channel(Protocol.REQUESTS);
        this.replies = space.channel(Protocol.REPLY_PREFIX + Long.toHexString(clientId));
    }

    /**
     * Connects to the manager at {@code address} and says hello.
     *
     * @throws IllegalArgumentException when the address is malformed or names no manager
     * @throws SecurityException when the token is wrong or the space is not owner-only
     * @throws ManagerGoneException when the manager's process is dead
     */
    public static ManagerClient connect(String address) {
        Path dir = ManagerLayout.directoryOf(address);
        String token = ManagerLayout.tokenOf(address);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no manager at " + address + ": " + dir + " does not exist");
        }
        ManagerLayout.Info info;
        try {
            info = ManagerLayout.read(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manager file in " + dir, e);
        }
        if (info == null) {
            throw new IllegalArgumentException("no manager runs in " + dir + " (no manager file)");
        }
        if (info.pid == ManagerLayout.STOPPED || ProcessHandle.of(info.pid).map(p -> !p.isAlive()).orElse(true)) {
            throw new ManagerGoneException("the manager of " + dir + " (pid " + info.pid + ") is not running");
        }
        Space space = Space.open(dir);
        ManagerClient client = null;
        try {
            client = new ManagerClient(space, address, info);
            client.call(ManagerProtocol.HELLO, Protocol.MANAGER_NAME, token, ProcessHandle.current().pid());
            return client;
        } catch (RuntimeException e) {
            if (client != null) {
                client.closeQuietly();
            } else {
                space.close();
            }
            throw e;
        }
    }

    public String address() {
        return address;
    }

    public Path directory() {
        return space.directory();
    }

    public Space space() {
        return space;
    }

    public long managerPid() {
        return managerPid;
    }

    public long clientId() {
        return clientId;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Calls {@code op} on object {@code name} (of the operation's kind) and waits for the reply. Any
     * thread; blocks until the reply comes, each wait bounded by the manager's slices.
     *
     * @return the reply's value
     * @throws ManagerGoneException when the manager dies or is gone
     * @throws ChannelClosedException when this client is closed
     * @throws RuntimeException the exception the call threw in the manager (checked ones wrapped in
     *                          {@link io.ipckit.core.RemoteException})
     */
    public Object call(Operation op, String name, Object... args) {
        Reply reply = exchange(op, name, args);
        Throwable error = reply.error;
        if (error == null) {
            return reply.value;
        }
        throw Remote.rethrowable(error, describe(op, name));
    }

    /** As {@link #call} but returns the raw reply (for callers that rethrow checked exceptions). */
    public Reply exchange(Operation op, String name, Object... args) {
        checkUsable(op, name);
        long id = calls.incrementAndGet();
        Pending p = new Pending(Thread.currentThread());
        pending.put(id, p);
        Object event = JfrEvents.on() ? JfrEvents.beginManagerRequest() : null;
        boolean failed = true;
        try {
            put(new Request(clientId, id, op, name, args), op, name);
            Reply reply = await(id, p);
            failed = reply.error != null;
            return reply;
        } finally {
            pending.remove(id);
            if (event != null) {
                JfrEvents.endManagerRequest(event, space.directory().toString(), op.kind().label() + " '" + name + "'",
                        op.label(), failed);
            }
        }
    }

    /**
     * Sends {@code op} on object {@code name} and returns without waiting for a reply: a one-way request
     * ({@link Protocol#ONE_WAY}), for an operation whose failure the caller has ruled out first (a lock's
     * release by the thread that holds it). Every client's requests go through the one request channel, so
     * the manager runs this one before any request put after this returns, by any client. It sends no reply
     * and reports a failure on its standard error. Any thread; does not block (the request channel is
     * unbounded).
     *
     * @throws ManagerGoneException when the manager is gone (looked at once per
     *     {@link ManagerWatch#CHECK_NANOS} at most: a send within that time of its death goes nowhere, as the
     *     manager's death would have undone it anyway)
     * @throws ChannelClosedException when this client is closed
     * @throws SerializationException when an argument cannot be encoded (naming the call)
     */
    public void send(Operation op, String name, Object... args) {
        checkUsable(op, name);
        if (!watch.aliveLately()) {
            gone = true;
            throw goneException();
        }
        put(new Request(clientId, Protocol.ONE_WAY, op, name, args), op, name);
    }

    /** Refuses a request on a closed client, a gone manager, or from the manager's own dispatcher thread. */
    private void checkUsable(Operation op, String name) {
        if (closed) {
            throw new ChannelClosedException("the connection to the manager of " + space.directory()
                    + " is closed");
        }
        if (gone) {
            throw goneException();
        }
        if (DispatcherThread.isServing(space.directory())) {
            throw DispatcherThread.refusal(describe(op, name));
        }
    }

    /** Puts {@code r} on the request channel; an encoding failure names the call, not the channel. */
    private void put(Request r, Operation op, String name) {
        try {
            requests.put(r);
        } catch (SerializationException e) {
            Throwable original = e.getCause() instanceof SerializationException ? e.getCause() : e;
            throw Failures.within(describe(op, name), (SerializationException) original);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + describe(op, name), e);
        }
    }

    /** "map 'm'.put": a call in messages. */
    public static String describe(Operation op, String name) {
        return op.kind().label() + " '" + name + "'." + op.label();
    }

    /**
     * Waits for the reply of call {@code id}. A reply is bounded by the manager's wait slices, so this
     * wait ignores interrupts (parking would return at once and spin) and restores the flag on return;
     * callers check it between slices. Between looks it idles with a {@link Backoff} (the
     * {@link io.ipckit.core.internal.IdleStrategy} of every wait), reset by each reply read.
     */
    private Reply await(long id, Pending p) {
        try {
            return awaitReply(id, p);
        } finally {
            if (p.interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Reply awaitReply(long id, Pending p) {
        // the IdleStrategy of this wait; typed as the final Backoff so each call below binds statically
        Backoff idle = Backoff.parkingAtMost(TimeUnit.MILLISECONDS.toNanos(LIVENESS_MILLIS));
        long nextCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIVENESS_MILLIS);
        while (true) {
            if (p.reply != null) {
                return p.reply;
            }
            if (reading.tryLock()) {
                try {
                    Reply r = replies.poll();
                    if (r != null) {
                        idle.reset();
                        if (r.callId == id) {
                            return r;
                        }
                        Pending other = pending.get(r.callId);
                        if (other != null) {
                            other.reply = r;
                            LockSupport.unpark(other.thread);
                        }
                        continue;
                    }
                } catch (SerializationException e) {
                    // an undecodable reply: kept in the dead letters; its caller will see the manager alive
                    // and keep waiting, so fail the calls waiting now
                    p.reply = new Reply(id, null, e);
                    continue;
                } finally {
                    reading.unlock();
                }
            }
            long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                nextCheck = now + TimeUnit.MILLISECONDS.toNanos(LIVENESS_MILLIS);
                if (!managerAlive()) {
                    gone = true;
                    throw goneException();
                }
            }
            if (closed) {
                throw new ChannelClosedException("the connection to the manager of " + space.directory()
                        + " was closed while waiting");
            }
            if (Thread.interrupted()) {
                p.interrupted = true;
            }
            idle.idle();
        }
    }

    private boolean managerAlive() {
        return watch.alive();
    }

    /**
     * The watch of this client's manager, shared by the handles that work on the manager's mapped files
     * (queues, shared longs) so that all of them, and this client's waits, ask the same question once.
     */
    public ManagerWatch watch() {
        return watch;
    }

    private ManagerGoneException goneException() {
        return new ManagerGoneException("the manager of " + space.directory() + " (pid " + managerPid
                + ") is gone; start a new one, or connect to one that runs");
    }

    /** Says goodbye (when the manager still runs) and closes this client's channels. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!gone && managerAlive()) {
            try {
                call(ManagerProtocol.BYE, Protocol.MANAGER_NAME);
            } catch (RuntimeException ignored) {
                // the manager went away meanwhile; it forgets dead clients by itself
            }
        }
        closeQuietly();
    }

    /** Marks the manager as gone without asking it (after a shutdown request). */
    public void markGone() {
        gone = true;
    }

    private void closeQuietly() {
        closed = true;
        Closer closer = new Closer().close(requests).close(replies);
        closer.close(space);
        // The manager has forgotten this client (bye, or it is gone): its reply channel is garbage.
        try {
            io.ipckit.core.internal.Files2.deleteRecursively(space.directory().resolve("channels")
                    .resolve(Protocol.REPLY_PREFIX + Long.toHexString(clientId)));
        } catch (IOException | RuntimeException ignored) {
            // removed with the space
        }
        closer.rethrow();
    }

    private static final class Pending {
        final Thread thread;
        volatile Reply reply;
        boolean interrupted;

        Pending(Thread thread) {
            this.thread = thread;
        }
    }
}
