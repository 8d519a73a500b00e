package io.ipckit.core;

import io.ipckit.core.internal.Backoff;
import io.ipckit.core.internal.Closer;
import io.ipckit.core.internal.Names;
import io.ipckit.core.internal.SpaceLayout;
import io.ipckit.core.internal.channel.ChannelAccess;
import io.ipckit.core.internal.channel.ChannelAppender;
import io.ipckit.core.internal.channel.ChannelClaimer;
import io.ipckit.core.internal.channel.ChannelFiles;
import io.ipckit.core.internal.channel.ChannelScanner;
import io.ipckit.core.internal.channel.ChannelState;
import io.ipckit.core.internal.channel.DeadLetters;
import io.ipckit.core.internal.channel.DiskGuard;
import io.ipckit.core.internal.jmx.ChannelMetrics;
import io.ipckit.core.internal.jmx.Jmx;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named, memory-mapped message channel between processes: any number of producers in any processes
 * append, any number of consumers in any processes compete, and each message is taken by exactly one
 * consumer, in the order of the channel (so FIFO per producer).
 *
 * <p>Obtain one from {@link Space#channel(String)} or {@link Space#channelBuilder(String)}; open the same
 * name in the same space directory from another process to talk to it. A handle is safe for any number
 * of threads. Blocking calls spin briefly, then back off to parking (an idle waiter costs well under 1 %
 * of a core); they wake with {@link ChannelClosedException} when this handle is closed and with
 * {@link InterruptedException} when interrupted. Null elements are refused.
 *
 * <p>A message taken by a consumer is gone from the channel, whatever happens to that consumer next
 * (as with Python's queues). A message that a consumer takes but cannot decode is kept in the channel's
 * dead-letter queue and reported with a {@link SerializationException}; the channel stays usable.
 *
 * @param <E> the type of the elements
 */
public final class Channel<E> implements AutoCloseable {
    /** Roll cycle of new channels: a file per five minutes, deleted once every consumer has passed it. */
    public static final RollCycle DEFAULT_ROLL_CYCLE = RollCycles.FIVE_MINUTELY;
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String name;
    private final Space space;
    private final Codec codec;
    private final ChannelState state;
    private final SingleChronicleQueue queue;
    private final ChannelAppender appender;
    private final ChannelClaimer claimer;
    private final ChannelScanner scanner;
    private final DeadLetters deadLetters;
    private final DiskGuard disk;
    /** This channel's MBean (JMX is opt-in: {@code -Dipckit.jmx=true}); a no-op registration otherwise. */
    private final Jmx.Registration mbean;
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean closed;
    /** Set once this handle's reader hit a damaged file: every later take fails with it, none returns null. */
    private volatile ChannelCorruptException corrupt;

    private Channel(Builder<E> b) throws IOException {
        this.name = b.name;
        this.space = b.space;
        this.codec = b.codec != null ? b.codec : space.codec();
        SpaceLayout layout = space.layout();
        if (!java.nio.file.Files.exists(layout.channelState(name))) {
            DiskGuard.checkRoomToOpen(name, layout.channelDir(name), space.minFreeBytes());
        }
        SpaceLayout.createDirectories(layout.channelDir(name));
        ChannelState s = ChannelState.openOrCreate(layout.channelState(name), b.capacity < 0 ? 0 : b.capacity);
        if (b.capacity >= 0 && s.capacity() != b.capacity) {
            throw new IllegalArgumentException("channel '" + name + "' exists with "
                    + describeCapacity(s.capacity()) + ", not " + describeCapacity(b.capacity)
                    + "; open it without a capacity, or with the one it has");
        }
        this.state = s;
        this.disk = new DiskGuard(name, layout.channelQueue(name), space.minFreeBytes());
        this.queue = ChannelFiles.open(layout.channelQueue(name), b.rollCycle, codec.maxMessageBytes(), disk);
        this.appender = new ChannelAppender(name, queue, state, codec, disk);
        this.claimer = new ChannelClaimer(queue, state, codec.maxMessageBytes());
        this.scanner = new ChannelScanner(queue, state, codec.maxMessageBytes());
        this.deadLetters = new DeadLetters(layout.channelDeadLetter(name), b.rollCycle, codec.maxMessageBytes());
        this.mbean = ChannelMetrics.register(name, space.directory().toString(), state);
    }

    private static String describeCapacity(long capacity) {
        return capacity == 0 ? "no capacity bound" : "capacity " + capacity;
    }

    static <E> Builder<E> builder(Space space, String name) {
        return new Builder<>(space, name);
    }

    /** The channel's name in its space. */
    public String name() {
        return name;
    }

    /**
     * Appends {@code e}, waiting for room when the channel is bounded and full.
     *
     * @throws NullPointerException when {@code e} is null
     * @throws SerializationException when {@code e} cannot be encoded (nothing is appended)
     * @throws SpaceFullException when the space's file system has no room for it (nothing is appended)
     * @throws InterruptedException when interrupted while waiting (nothing is appended)
     * @throws ChannelClosedException when this handle is closed
     */
    public void put(E e) throws InterruptedException {
        if (!offer(e, Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("unreachable: put without deadline timed out on channel '" + name + "'");
        }
    }

    /**
     * Appends {@code e} when there is room, without waiting.
     *
     * @return false when the channel is bounded and full
     * @throws NullPointerException when {@code e} is null
     * @throws SerializationException when {@code e} cannot be encoded
     * @throws SpaceFullException when the space's file system has no room for it (nothing is appended)
     * @throws ChannelClosedException when this handle is closed
     */
    public boolean offer(E e) {
        Objects.requireNonNull(e, "element");
        if (!appender.bounded()) {
            enter();
            try {
                appender.appendUnbounded(e);
                return true;
            } finally {
                exit();
            }
        }
        ChannelAppender.Encoded encoded = appender.encode(e);
        enter();
        try {
            return appender.tryAppend(encoded) == ChannelAppender.APPENDED;
        } finally {
            exit();
        }
    }

    /**
     * Appends {@code e}, waiting up to {@code timeout} for room.
     *
     * @return false when the channel stayed full for the whole timeout
     * @throws NullPointerException when {@code e} or {@code unit} is null
     * @throws SerializationException when {@code e} cannot be encoded
     * @throws SpaceFullException when the space's file system has no room for it (nothing is appended)
     * @throws InterruptedException when interrupted while waiting
     * @throws ChannelClosedException when this handle is closed, also while waiting
     */
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        if (!appender.bounded()) {
            return offer(e);
        }
        ChannelAppender.Encoded encoded = appender.encode(Objects.requireNonNull(e, "element"));
        long deadline = deadline(timeout, unit);
        Backoff backoff = null;
        while (true) {
            enter();
            try {
                if (appender.tryAppend(encoded) == ChannelAppender.APPENDED) {
                    return true;
                }
            } finally {
                exit();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (backoff == null) {
                backoff = new Backoff();
            }
            waitABit(backoff, left);
        }
    }

    /**
     * Takes the next message, waiting as long as it takes.
     *
     * @throws InterruptedException when interrupted while waiting
     * @throws ChannelClosedException when this handle is closed, also while waiting
     * @throws SerializationException when the message cannot be decoded (it is moved to the dead letters)
     */
    public E take() throws InterruptedException {
        E e = poll(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        if (e == null) {
            throw new IllegalStateException("unreachable: take without deadline timed out on channel '" + name + "'");
        }
        return e;
    }

    /**
     * Takes the next message when there is one, without waiting.
     *
     * @return the message, or null when the channel is empty
     * @throws ChannelClosedException when this handle is closed
     * @throws SerializationException when the message cannot be decoded (it is moved to the dead letters)
     * @throws ChannelCorruptException when the channel's file cannot be read (damaged excerpt headers)
     */
    public E poll() {
        enter();
        ChannelClaimer.Payload p;
        try {
            if (corrupt != null) {
                throw new ChannelCorruptException(corrupt.getMessage(), corrupt);
            }
            try {
                p = claimer.tryClaim();
            } catch (ChannelClosedException | java.io.UncheckedIOException e) {
                throw e; // closed, or an I/O failure (a file system problem): neither says the file is damaged
            } catch (RuntimeException e) {
                corrupt = corrupt(e);
                throw corrupt;
            }
            return p == null ? null : decode(p);
        } finally {
            exit();
        }
    }

    /** What Chronicle threw while reading excerpt headers: the file is damaged at the reader's position. */
    private ChannelCorruptException corrupt(RuntimeException e) {
        return new ChannelCorruptException("channel '" + name + "' in " + space.directory()
                + ": its Chronicle file cannot be read past the last message taken (" + e
                + "); its excerpt headers were damaged on disk or written by something other than ipckit, and the"
                + " messages after that point cannot be taken. Recreate the channel under another name and inspect"
                + " or remove " + space.layout().channelQueue(name), e);
    }

    /**
     * Takes the next message, waiting up to {@code timeout}.
     *
     * @return the message, or null when none came in time
     * @throws InterruptedException when interrupted while waiting
     * @throws ChannelClosedException when this handle is closed, also while waiting
     * @throws SerializationException when the message cannot be decoded (it is moved to the dead letters)
     */
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = deadline(timeout, unit);
        Backoff backoff = null;
        while (true) {
            E e = poll();
            if (e != null) {
                return e;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            if (backoff == null) {
                backoff = new Backoff();
            }
            waitABit(backoff, left);
        }
    }

    /** Messages appended and not yet taken, across all processes; a snapshot. Never blocks. */
    public int size() {
        long n = state.appended() - state.taken();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, n));
    }

    /** Whether {@link #size()} is 0. */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** The bound on messages waiting in the channel, or 0 when unbounded. */
    public long capacity() {
        return state.capacity();
    }

    /** Room left before producers wait; {@code Integer.MAX_VALUE} when unbounded. A snapshot. */
    public int remainingCapacity() {
        long cap = state.capacity();
        if (cap == 0) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, cap - (state.reserved() - state.taken())));
    }

    /**
     * The messages consumers of this channel (in any process) took but could not decode, oldest first.
     * Reading them does not remove them. Any thread; does not wait for messages, but reads the channel's
     * {@code dead-letter/} queue from its files (opening it on first use).
     *
     * @throws ChannelClosedException when this handle is closed
     * @throws java.io.UncheckedIOException when the dead-letter queue cannot be opened
     */
    public java.util.List<DeadLetter> deadLetters() {
        enter();
        try {
            java.util.List<DeadLetter> out = new java.util.ArrayList<>();
            for (java.util.Map.Entry<Long, byte[]> e : deadLetters.readAll()) {
                out.add(new DeadLetter(name, e.getKey(), e.getValue()));
            }
            return out;
        } finally {
            exit();
        }
    }

    /** The space this channel lives in. */
    public Space space() {
        return space;
    }

    /** Whether this handle is closed. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes this handle: blocked callers wake with {@link ChannelClosedException}, later calls get it too.
     * The channel's messages stay in the space for other handles and processes. Idempotent; waits for
     * calls in progress on this handle (not for waiting ones) for at most ten seconds.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (active.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
        space.forget(this);
        new Closer().close(mbean).close(appender).close(claimer).close(scanner).close(deadLetters).close(queue).close(disk).close(state).rethrow();
    }

    // ---- for the shared queue, which runs its own waits (through ChannelAccess; not public API) -----

    static {
        ChannelAccess.install(new ChannelAccess.Access() {
            @Override
            public <E> ChannelAppender.Encoded encode(Channel<E> channel, E e) {
                return channel.encode(e);
            }

            @Override
            public boolean tryAppend(Channel<?> channel, ChannelAppender.Encoded encoded) {
                return channel.tryAppend(encoded);
            }

            @Override
            public <E> int view(Channel<E> channel, long after, ChannelAccess.Viewer<? super E> viewer) {
                return channel.view(after, viewer);
            }

            @Override
            public int takeAll(Channel<?> channel) {
                return channel.takeAll();
            }

            @Override
            public boolean takeAt(Channel<?> channel, long index) {
                return channel.takeAt(index);
            }

            @Override
            public ChannelState state(Channel<?> channel) {
                return channel.state;
            }
        });
    }

    /** Encodes {@code e} once, for {@link #tryAppend}; throws before anything is reserved or written. */
    ChannelAppender.Encoded encode(E e) {
        return appender.encode(Objects.requireNonNull(e, "element"));
    }

    /** Appends an encoded message unless the channel is bounded and full. Never blocks. */
    boolean tryAppend(ChannelAppender.Encoded encoded) {
        enter();
        try {
            return appender.tryAppend(encoded) == ChannelAppender.APPENDED;
        } finally {
            exit();
        }
    }

    /**
     * Shows {@code viewer} each message not yet taken whose index is above {@code after} ({@code -1}: all),
     * decoded, in channel order, taking those it answers {@link ChannelScanner#TAKE} for (a message
     * taken so is gone as if a consumer had taken it, and frees its slot of a bounded channel). Weakly
     * consistent. Never blocks; costs a pass over the part of the channel its consumers have not passed,
     * and a decode per message shown.
     *
     * @return how many messages were taken
     * @throws SerializationException when a message shown cannot be decoded (it stays in the channel: the
     *                                consumer that takes it moves it to the dead letters)
     * @throws ChannelClosedException when this handle is closed
     */
    int view(long after, ChannelAccess.Viewer<? super E> viewer) {
        enter();
        try {
            return scanner.scan(after, (index, payload, length) -> viewer.view(index, decodeInPlace(index, payload, length)));
        } finally {
            exit();
        }
    }

    /** Takes every message not yet taken, without decoding them. Never blocks. @return how many */
    int takeAll() {
        enter();
        try {
            return scanner.scan(-1, (index, payload, length) -> ChannelScanner.TAKE);
        } finally {
            exit();
        }
    }

    /** Takes the message at {@code index} when no one has; true when this call took it. Never blocks. */
    boolean takeAt(long index) {
        enter();
        try {
            return scanner.take(index);
        } finally {
            exit();
        }
    }

    /** Decodes a message that is not taken: a failure leaves it where it is. */
    private E decodeInPlace(long index, byte[] payload, int length) {
        Object e;
        try {
            e = codec.decode(payload, 0, length);
        } catch (RuntimeException ex) {
            throw new SerializationException("channel '" + name + "': cannot decode the message at index 0x"
                    + Long.toHexString(index) + " (" + length + " bytes), which stays in the channel (the consumer"
                    + " that takes it moves it to the dead letters): " + ex.getMessage(), ex);
        }
        if (e == null) {
            throw new SerializationException("channel '" + name + "': the message at index 0x"
                    + Long.toHexString(index) + " decoded to null");
        }
        @SuppressWarnings("unchecked")
        E element = (E) e;
        return element;
    }

    /** The channel's shared counters (a joinable queue keeps its {@code done} count there). */
    ChannelState state() {
        return state;
    }

    @Override
    public String toString() {
        return "Channel[" + name + " in " + space.directory() + (closed ? ", closed" : "") + "]";
    }

    private E decode(ChannelClaimer.Payload p) {
        try {
            @SuppressWarnings("unchecked")
            E e = (E) codec.decode(p.buffer, 0, p.length);
            if (e == null) {
                throw new SerializationException("message at index " + Long.toHexString(p.index)
                        + " decoded to null");
            }
            return e;
        } catch (RuntimeException ex) {
            String kept;
            RuntimeException notKept = null;
            try {
                deadLetters.add(p.index, p.buffer, p.length);
                kept = "it was moved to " + deadLetters.directory();
            } catch (RuntimeException dl) {
                notKept = dl;
                kept = "it could not be kept in " + deadLetters.directory() + " (" + dl + ")";
            }
            SerializationException failure = new SerializationException("channel '" + name
                    + "': cannot decode the message at index 0x" + Long.toHexString(p.index) + " (" + p.length
                    + " bytes); " + kept + ": " + ex.getMessage(), ex);
            if (notKept != null) {
                failure.addSuppressed(notKept);
            }
            throw failure;
        }
    }

    private void enter() {
        active.incrementAndGet();
        if (closed) {
            active.decrementAndGet();
            throw closedException();
        }
    }

    private void exit() {
        active.decrementAndGet();
    }

    private ChannelClosedException closedException() {
        return new ChannelClosedException("channel '" + name + "' in " + space.directory()
                + " is closed; open a new handle with Space.channel(\"" + name + "\")");
    }

    private void waitABit(Backoff backoff, long maxNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting on channel '" + name + "'");
        }
        if (closed) {
            throw closedException();
        }
        backoff.idle(maxNanos);
    }

    private static long deadline(long timeout, TimeUnit unit) {
        long nanos = unit.toNanos(timeout);
        long now = System.nanoTime();
        return nanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + Math.max(0, nanos);
    }

    /**
     * Options of a channel, validated as they are set; {@link #open()} creates the channel or opens the
     * existing one. Not thread-safe.
     *
     * @param <E> the type of the elements
     */
    public static final class Builder<E> {
        private final Space space;
        private final String name;
        private long capacity = -1;
        private RollCycle rollCycle = DEFAULT_ROLL_CYCLE;
        private Codec codec;

        private Builder(Space space, String name) {
            this.space = space;
            this.name = Names.validate("channel", name);
        }

        /**
         * Bounds the channel: producers wait (or {@code offer} fails) while {@code capacity} messages wait.
         * Fixed when the channel is created; opening an existing channel with another capacity fails.
         *
         * @throws IllegalArgumentException when {@code capacity < 1}
         */
        public Builder<E> capacity(long capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity of channel '" + name + "' must be at least 1, was "
                        + capacity + "; use unbounded() for no bound");
            }
            this.capacity = capacity;
            return this;
        }

        /** No bound (the default when creating); opening an existing bounded channel this way fails. */
        public Builder<E> unbounded() {
            this.capacity = 0;
            return this;
        }

        /**
         * How often the channel starts a new file (default {@link #DEFAULT_ROLL_CYCLE}). Files that every
         * consumer has passed are deleted, so this bounds disk use. Fixed when the channel is created.
         */
        public Builder<E> rollCycle(RollCycle rollCycle) {
            this.rollCycle = Objects.requireNonNull(rollCycle, "rollCycle");
            return this;
        }

        /** The codec of this handle (default: the space's). Every process must use a compatible one. */
        public Builder<E> codec(Codec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * Opens the channel, creating it when absent. Any thread.
         *
         * @throws IllegalArgumentException when the channel exists with another capacity
         * @throws ChannelClosedException when the space is closed
         * @throws SpaceFullException when the channel is new and its file system has no room for its files
         * @throws UncheckedIOException when its files cannot be created or mapped
         */
        public Channel<E> open() {
            return space.register(() -> {
                try {
                    return new Channel<>(this);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open channel '" + name + "' in " + space.directory()
                            + ": " + e, e);
                }
            });
        }
    }
}
