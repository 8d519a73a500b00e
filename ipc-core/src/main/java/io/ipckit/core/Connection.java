package io.ipckit.core;

import io.ipckit.core.internal.Files2;
import io.ipckit.core.internal.PipeState;
import io.ipckit.core.internal.codec.PipeEndSerializer;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One end of a {@link Pipe} (Python's {@code multiprocessing.connection.Connection}): {@link #send} and
 * {@link #recv} objects (by value, through the codec), {@link #sendBytes} and {@link #recvBytes} byte
 * arrays, {@link #poll(Duration)} for data, {@link #close()}. An end is a handle: pass it to a pool task,
 * a {@code Process} or any process through a shared object, and use it there; the process that receives it
 * becomes one of its users.
 *
 * <p>The other end's state is always known, so nothing hangs on it: when the last process that used the
 * other end closed it, or every such process died (killed, crashed, exited), {@link #recv()} returns what
 * was sent before and then throws {@link PipeClosedException} (Python's {@code EOFError}), {@link #send}
 * throws it at once (Python's {@code BrokenPipeError}) and {@link #poll} returns true. Only a process that
 * used or received an end counts: a parent that hands an end to a child and closes its own copy, never
 * used, does not close it for the child. Sends never block (a pipe's buffer is its file, bounded by the
 * space's file system).
 *
 * <p>Safe for any thread, but one receiving thread at a time is the sane use (as Python's). Costs: a send
 * is one channel append, a receive one channel take; a waiting {@code recv} spins, then parks, and looks at
 * the other end's processes every {@value #LIVENESS_MILLIS} ms.
 */
public final class Connection implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;
    /** How often a waiting receive checks that the other end lives. */
    static final long LIVENESS_MILLIS = 100;

    static {
        PipeEndSerializer.install((dir, end) -> new Connection(dir, end, true),
                c -> ((Connection) c).dir, c -> ((Connection) c).end);
    }

    private final String dir;
    private final int end;
    private transient Open open;
    private transient Object lookahead;
    private transient volatile boolean closed;

    private Connection(String dir, int end, boolean received) {
        this.dir = dir;
        this.end = end;
        if (received) {
            try {
                open().state.use(end); // a process that receives an end is one of its users from now on
            } catch (RuntimeException e) {
                // the pipe is gone or unreadable here: the first use says so
            }
        }
    }

    static Connection of(Path dir, int end) {
        return new Connection(dir.toString(), end, false);
    }

    /** What this process has open of the pipe: its space, its two channels, its state. */
    private static final class Open {
        final Space space;
        final PipeState state;
        final Channel<Object> in;
        final Channel<Object> out;

        Open(Space space, PipeState state, Channel<Object> in, Channel<Object> out) {
            this.space = space;
            this.state = state;
            this.in = in;
            this.out = out;
        }
    }

    private synchronized Open open() {
        if (closed) {
            throw new ChannelClosedException(this + " is closed");
        }
        if (open == null) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                throw new PipeClosedException(this + ": the pipe is gone (" + d + " was removed: both ends were"
                        + " closed, or the process that made it exited)");
            }
            Space space = Space.open(d);
            try {
                PipeState state = PipeState.open(d.resolve(Pipe.STATE_FILE));
                open = new Open(space, state, space.channel(Pipe.channelTo(end)), space.channel(Pipe.channelTo(1 - end)));
            } catch (IOException | RuntimeException e) {
                space.close();
                if (e instanceof IOException) {
                    throw new UncheckedIOException("cannot open " + this + ": " + e, (IOException) e);
                }
                throw (RuntimeException) e;
            }
        }
        return open;
    }

    /** Which end: 0 for the pipe's first, 1 for its second. */
    public int end() {
        return end;
    }

    /** Whether this end receives (both ends of a duplex pipe; the first of a one-way pipe). */
    public boolean readable() {
        return open().state.duplex() || end == 0;
    }

    /** Whether this end sends (both ends of a duplex pipe; the second of a one-way pipe). */
    public boolean writable() {
        return open().state.duplex() || end == 1;
    }

    /**
     * Sends {@code obj} to the other end. Any thread; never blocks.
     *
     * @throws PipeClosedException when the other end is closed (Python's {@code BrokenPipeError})
     * @throws SerializationException when {@code obj} cannot be encoded (nothing is sent)
     * @throws IllegalStateException when this end only receives
     * @throws ChannelClosedException when this end is closed
     */
    public void send(Object obj) {
        Objects.requireNonNull(obj, "obj");
        Open o = open();
        if (!writable()) {
            throw new IllegalStateException(this + " only receives (the first end of a one-way pipe); send on the"
                    + " second, or make the pipe with Pipe.open() for both ways");
        }
        o.state.use(end);
        if (o.state.isClosed(1 - end)) {
            throw new PipeClosedException(this + ": the other end is closed (broken pipe); nothing was sent");
        }
        o.out.offer(obj);
    }

    /** Sends a copy of {@code buf}, for {@link #recvBytes()} (Python's {@code send_bytes}). */
    public void sendBytes(byte[] buf) {
        sendBytes(buf, 0, buf.length);
    }

    /**
     * Sends a copy of {@code size} bytes of {@code buf} from {@code offset}.
     *
     * @throws IndexOutOfBoundsException when the range is not within {@code buf}
     */
    public void sendBytes(byte[] buf, int offset, int size) {
        Objects.checkFromIndexSize(offset, size, buf.length);
        send(Arrays.copyOfRange(buf, offset, offset + size));
    }

    /**
     * Receives the next object, waiting as long as it takes. Any thread.
     *
     * @throws PipeClosedException when nothing is left and the other end is closed (Python's {@code EOFError})
     * @throws InterruptedException when interrupted while waiting
     * @throws SerializationException when the object cannot be decoded (it is dropped; the pipe goes on)
     * @throws IllegalStateException when this end only sends
     * @throws ChannelClosedException when this end is closed, also while waiting
     */
    @SuppressWarnings("unchecked")
    public <T> T recv() throws InterruptedException {
        Object m = next(Long.MAX_VALUE);
        return (T) m;
    }

    /**
     * Receives the next message, which must have been sent with {@link #sendBytes} (Python's
     * {@code recv_bytes}); an object sent with {@code send} stays for {@link #recv()}.
     *
     * @throws IllegalStateException when the next message is not bytes (it is kept)
     * @throws PipeClosedException when nothing is left and the other end is closed
     * @throws InterruptedException when interrupted while waiting
     */
    public byte[] recvBytes() throws InterruptedException {
        Object m = next(Long.MAX_VALUE);
        if (!(m instanceof byte[])) {
            synchronized (this) {
                lookahead = m;
            }
            throw new IllegalStateException(this + ": the next message is a " + m.getClass().getName()
                    + " sent with send(), not bytes; receive it with recv()");
        }
        return (byte[]) m;
    }

    /** Whether {@link #recv()} would return at once: a message waits, or the other end is closed. Never blocks. */
    public boolean poll() {
        try {
            return poll(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits up to {@code timeout} until {@link #recv()} would return at once (a message waits, or the other
     * end is closed and {@code recv} would throw).
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean poll(Duration timeout) throws InterruptedException {
        long nanos = Math.max(0, timeout.toNanos());
        Object m = peekOrWait(nanos);
        return m != null || open().state.isClosed(1 - end);
    }

    private Object next(long nanos) throws InterruptedException {
        Object m = peekOrWait(nanos);
        synchronized (this) {
            if (m != null && lookahead == m) {
                lookahead = null;
            }
        }
        if (m == null) {
            throw new PipeClosedException(this + ": the other end is closed and nothing is left to receive (EOF)");
        }
        return m;
    }

    /** The next message, kept in {@link #lookahead}; null when none came in time or the other end closed. */
    private Object peekOrWait(long nanos) throws InterruptedException {
        Open o = open();
        if (!readable()) {
            throw new IllegalStateException(this + " only sends (the second end of a one-way pipe); receive on"
                    + " the first, or make the pipe with Pipe.open() for both ways");
        }
        o.state.use(end);
        synchronized (this) {
            if (lookahead != null) {
                return lookahead;
            }
        }
        long deadline = nanos >= Long.MAX_VALUE - System.nanoTime() ? Long.MAX_VALUE : System.nanoTime() + nanos;
        while (true) {
            long left = deadline - System.nanoTime();
            long slice = Math.min(Math.max(0, left), TimeUnit.MILLISECONDS.toNanos(LIVENESS_MILLIS));
            Object m = slice == 0 ? o.in.poll() : o.in.poll(slice, TimeUnit.NANOSECONDS);
            if (m == null && o.state.isClosed(1 - end)) {
                m = o.in.poll(); // sent just before the close
                if (m == null) {
                    return null;
                }
            }
            if (m != null) {
                synchronized (this) {
                    lookahead = m;
                }
                return m;
            }
            if (deadline - System.nanoTime() <= 0) {
                return null;
            }
        }
    }

    /**
     * Closes this end in this process. When this process used it and no other live process does, the end
     * is closed for the other side (its {@code recv} gets what was sent, then {@link PipeClosedException});
     * when both ends are closed, the pipe's files are removed. Any thread; idempotent; never blocks.
     */
    @Override
    public void close() {
        Open o;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            o = open;
            open = null;
        }
        if (o == null) {
            return;
        }
        try {
            boolean bothClosed = o.state.usedHere(end) && o.state.release(end);
            o.space.close();
            if (bothClosed) {
                Files2.deleteRecursively(Path.of(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the pipe " + dir + ": " + e, e);
        }
    }

    /** Whether {@link #close()} was called on this handle. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Connection[end " + end + " of pipe " + dir + "]";
    }
}
