package io.ipckit.core.internal.local;

import io.ipckit.core.Channel;
import io.ipckit.core.ChannelClosedException;
import io.ipckit.core.ConsumerDiedException;
import io.ipckit.core.DeadLetter;
import io.ipckit.core.EmptyException;
import io.ipckit.core.FullException;
import io.ipckit.core.Manager;
import io.ipckit.core.QueueShutDownException;
import io.ipckit.core.SharedQueue;

import io.ipckit.core.internal.Backoff;
import io.ipckit.core.internal.SpaceLayout;
import io.ipckit.core.internal.channel.ChannelAccess;
import io.ipckit.core.internal.channel.ChannelAppender;
import io.ipckit.core.internal.channel.ChannelScanner;
import io.ipckit.core.internal.channel.ChannelState;
import io.ipckit.core.internal.channel.ConsumerTable;
import io.ipckit.core.internal.codec.ByFields;
import io.ipckit.core.internal.jfr.JfrEvents;
import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.client.ManagerWatch;
import io.ipckit.core.internal.manager.protocol.QueueProtocol;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@link SharedQueue} on the local backend: a handle on an object of a {@link Manager} of this host, which
 * reaches it through the manager's space. Made by {@link LocalBackend}; the contract is {@link SharedQueue}'s.
 */
public final class LocalQueue<E> implements BlockingQueue<E>, Serializable, ByFields, SharedQueue<E> {
    private static final long serialVersionUID = 1L;
    /** The channel operations the queue runs its own waits around (not {@link Channel}'s API). */
    private static final ChannelAccess.Access CHANNELS = ChannelAccess.get();

    private final HandleRef ref;
    private final int maxsize;
    private final boolean joinable;
    /** This JVM's link to the queue's channel, looked up (or opened) on first use. */
    private transient volatile Link link;
    private transient volatile boolean closed;

    private LocalQueue(HandleRef ref, int maxsize, boolean joinable) {
        this.ref = ref;
        this.maxsize = maxsize;
        this.joinable = joinable;
    }

    public static <E> LocalQueue<E> create(ManagerClient client, String name, int maxsize, boolean joinable) {
        HandleRef ref = HandleRef.create(client, QueueProtocol.CREATE, name, maxsize, joinable);
        try { // made now, while there is room, so that takes are tracked even on a file system that fills up
            ConsumerTable.openOrCreate(new SpaceLayout(client.directory()).channelConsumers(
                    ManagerLayout.QUEUE_PREFIX + name)).close();
        } catch (IOException | RuntimeException e) {
            // the first take tries again, and takes untracked if it cannot
        }
        return new LocalQueue<>(ref, Math.max(0, maxsize),
                joinable);
    }

    @Override
    public String name() {
        return ref.name();
    }

    @Override
    public int maxsize() {
        return maxsize;
    }

    @Override
    public boolean isJoinable() {
        return joinable;
    }

    // ---- put ----------------------------------------------------------------------------------------

    @Override
    public void put(E e) throws InterruptedException {
        if (!offer(e, Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("unreachable: put without deadline timed out on " + describe());
        }
    }

    @Override
    public void put(E e, long timeout, TimeUnit unit) throws InterruptedException {
        if (!offer(e, timeout, unit)) {
            throw new FullException(describe() + " stayed full (maxsize " + maxsize + ") for " + timeout + " "
                    + unit.toString().toLowerCase() + "; nothing was put");
        }
    }

    @Override
    public void putNowait(E e) {
        if (!offer(e)) {
            throw fullException();
        }
    }

    @Override
    public boolean add(E e) {
        putNowait(e);
        return true;
    }

    @Override
    public boolean offer(E e) {
        Link l = link();
        refuseIfShutDown(l, "put");
        try {
            if (maxsize == 0) { // unbounded: Channel's own append, straight from the codec's buffer (no copy)
                return l.channel.offer(requireElement(e));
            }
            return CHANNELS.tryAppend(l.channel, CHANNELS.encode(l.channel, requireElement(e)));
        } catch (ChannelClosedException x) {
            throw closedUnderneath(x);
        }
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        if (maxsize == 0) {
            return offer(e); // never full: nothing to wait for
        }
        Link l = link();
        refuseIfShutDown(l, "put");
        ChannelAppender.Encoded encoded = CHANNELS.encode(l.channel, requireElement(e));
        return await(l, timeout, unit, "put", () -> {
            if (CHANNELS.tryAppend(l.channel, encoded)) {
                return Boolean.TRUE;
            }
            refuseIfShutDown(l, "put");
            return null;
        }) != null;
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        if (c == this) {
            throw new IllegalArgumentException("cannot add " + describe() + " to itself");
        }
        boolean changed = false;
        for (E e : c) {
            changed |= add(e);
        }
        return changed;
    }

    // ---- get ----------------------------------------------------------------------------------------

    @Override
    public E take() throws InterruptedException {
        E e = poll(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        if (e == null) {
            throw new IllegalStateException("unreachable: take without deadline timed out on " + describe());
        }
        return e;
    }

    @Override
    public E get() throws InterruptedException {
        return take();
    }

    @Override
    public E get(long timeout, TimeUnit unit) throws InterruptedException {
        E e = poll(timeout, unit);
        if (e == null) {
            throw new EmptyException(describe() + " stayed empty for " + timeout + " "
                    + unit.toString().toLowerCase());
        }
        return e;
    }

    @Override
    public E getNowait() {
        E e = poll();
        if (e == null) {
            throw new EmptyException(describe() + " is empty");
        }
        return e;
    }

    @Override
    public E remove() {
        return getNowait();
    }

    @Override
    public E poll() {
        Link l = link();
        try {
            @SuppressWarnings("unchecked")
            E e = (E) l.channel.poll();
            if (e != null) {
                l.took();
            } else {
                refuseIfShutDown(l, "get");
            }
            return e;
        } catch (ChannelClosedException x) {
            throw closedUnderneath(x);
        }
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        Link l = link();
        @SuppressWarnings("unchecked")
        E e = (E) await(l, timeout, unit, "get", () -> {
            Object m = l.channel.poll();
            if (m == null) {
                refuseIfShutDown(l, "get");
            }
            return m;
        });
        if (e != null) {
            l.took();
        }
        return e;
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c, "collection");
        if (c == this) {
            throw new IllegalArgumentException("cannot drain " + describe() + " into itself");
        }
        int n = 0;
        while (n < maxElements) {
            E e;
            try {
                e = poll();
            } catch (QueueShutDownException empty) {
                break; // shut down and empty: all there was is drained
            }
            if (e == null) {
                break;
            }
            c.add(e);
            n++;
        }
        return n;
    }

    // ---- sizes --------------------------------------------------------------------------------------

    @Override
    public java.util.List<DeadLetter> deadLetters() {
        return link().channel.deadLetters();
    }

    @Override
    public int size() {
        return link().channel.size();
    }

    @Override
    public int qsize() {
        return size();
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public boolean empty() {
        return isEmpty();
    }

    @Override
    public boolean isFull() {
        return maxsize > 0 && remainingCapacity() == 0;
    }

    @Override
    public boolean full() {
        return isFull();
    }

    @Override
    public int remainingCapacity() {
        return link().channel.remainingCapacity();
    }

    // ---- joinable -----------------------------------------------------------------------------------

    @Override
    public void taskDone() {
        requireJoinable("taskDone()");
        Link l = link();
        if (!CHANNELS.state(l.channel).tryMarkDone()) {
            throw new IllegalStateException("taskDone() called more times than there were items put on " + describe()
                    + " (as Python's ValueError); call it once per item taken");
        }
        l.creditDone();
    }

    @Override
    public long unfinishedTasks() {
        requireJoinable("unfinishedTasks()");
        ChannelState s = CHANNELS.state(link().channel);
        long done = s.done();
        return Math.max(0, s.appended() - done);
    }

    @Override
    public void join() throws InterruptedException {
        join(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        requireJoinable("join()");
        Link l = link();
        ChannelState s = CHANNELS.state(l.channel);
        long[] nextCheck = {System.nanoTime()};
        return await(l, timeout, unit, "join", () -> {
            if (s.done() >= s.appended()) {
                return Boolean.TRUE;
            }
            long now = System.nanoTime();
            if (now - nextCheck[0] >= 0) {
                nextCheck[0] = now + TimeUnit.MILLISECONDS.toNanos(CONSUMER_CHECK_MILLIS);
                failIfAConsumerDiedHolding(l);
            }
            return null;
        }) != null;
    }

    @Override
    public void shutdown() {
        shutdown(false);
    }

    @Override
    public void shutdown(boolean immediate) {
        Link l = link();
        CHANNELS.state(l.channel).raiseShutdown(immediate ? 2 : 1);
        if (immediate) {
            clear();
        }
    }

    @Override
    public boolean isShutDown() {
        return CHANNELS.state(link().channel).shutdownLevel() != 0;
    }

    private void refuseIfShutDown(Link l, String op) {
        long level = CHANNELS.state(l.channel).shutdownLevel();
        if (level != 0) {
            throw new QueueShutDownException(describe() + " was shut down" + (level == 2 ? " immediately" : "")
                    + (op.equals("put") ? "; nothing was put" : " and is empty; nothing was taken"));
        }
    }

    /** How often a waiting {@link #join()} looks for consumers that died holding messages. */
    static final long CONSUMER_CHECK_MILLIS = 100;

    private void failIfAConsumerDiedHolding(Link l) {
        for (ConsumerTable.Entry c : l.consumers().entries()) {
            if (!c.alive && c.held() > 0) {
                throw new ConsumerDiedException(describe() + ": consumer pid " + c.pid + " died holding " + c.held()
                        + " message(s) it took and never marked done, so join() could never return. Handle the lost"
                        + " message(s) (put them again, say), then call taskDone() once for each; consumers() lists"
                        + " every consumer", c.pid, c.held());
            }
        }
    }

    @Override
    public java.util.List<Consumer> consumers() {
        java.util.List<Consumer> out = new java.util.ArrayList<>();
        for (ConsumerTable.Entry c : link().consumers().entries()) {
            out.add(new Consumer(c.pid, c.alive, c.taken, joinable ? c.held() : 0));
        }
        return out;
    }


    // ---- lifecycle ----------------------------------------------------------------------------------

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Same queue: same manager and name. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LocalQueue)) {
            return false;
        }
        LocalQueue<?> q = (LocalQueue<?>) o;
        return q.ref.address().equals(ref.address()) && q.ref.name().equals(ref.name());
    }

    @Override
    public int hashCode() {
        return ref.address().hashCode() * 31 + ref.name().hashCode();
    }

    /**
     * The messages not yet taken, as {@code AbstractCollection} shows a collection ({@code "[a, b]"}): a
     * snapshot; costs a pass over them, decoding each (and a string as long as all of them). When they
     * cannot be read (this handle closed, the manager gone, a message that cannot be decoded), the queue's
     * name and manager directory and why, instead of throwing. Never shows the access token.
     */
    @Override
    public String toString() {
        List<E> elements;
        try {
            elements = snapshot();
        } catch (RuntimeException e) {
            return "[" + describe() + ": elements unavailable: " + e.getMessage() + "]";
        }
        StringBuilder b = new StringBuilder("[");
        for (E e : elements) {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append(e);
        }
        return b.append(']').toString();
    }

    /** Names the queue and its manager's directory (never the access token), for messages. */
    private String describe() {
        return (joinable ? "joinable queue '" : "queue '") + ref.name() + "' of the manager in "
                + ManagerLayout.directoryOf(ref.address());
    }

    // ---- views: read the messages not yet taken, without taking them ---------------------------------

    @Override
    public E peek() {
        Object[] head = new Object[1];
        view(-1, (index, e) -> {
            head[0] = e;
            return ChannelScanner.STOP;
        });
        @SuppressWarnings("unchecked")
        E e = (E) head[0];
        return e;
    }

    @Override
    public E element() {
        E e = peek();
        if (e == null) {
            throw new EmptyException(describe() + " is empty");
        }
        return e;
    }

    @Override
    public Iterator<E> iterator() {
        return new Itr();
    }

    @Override
    public Spliterator<E> spliterator() {
        return Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.CONCURRENT);
    }

    @Override
    public boolean contains(Object o) {
        if (o == null) {
            return false;
        }
        boolean[] found = new boolean[1];
        view(-1, (index, e) -> {
            if (o.equals(e)) {
                found[0] = true;
                return ChannelScanner.STOP;
            }
            return ChannelScanner.CONTINUE;
        });
        return found[0];
    }

    @Override
    public boolean containsAll(Collection<?> c) {
        Objects.requireNonNull(c, "collection");
        if (c.isEmpty()) {
            return true;
        }
        return new HashSet<>(snapshot()).containsAll(c);
    }

    @Override
    public boolean remove(Object o) {
        if (o == null) {
            return false;
        }
        return removeWhere(o::equals) > 0;
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        Objects.requireNonNull(filter, "filter");
        return removeWhere(filter) > 0;
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        Objects.requireNonNull(c, "collection");
        return removeWhere(c::contains) > 0;
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        Objects.requireNonNull(c, "collection");
        return removeWhere(e -> !c.contains(e)) > 0;
    }

    @Override
    public void clear() {
        Link l = link();
        int n;
        try {
            n = CHANNELS.takeAll(l.channel);
        } catch (ChannelClosedException x) {
            throw closedUnderneath(x);
        }
        markDone(l, n);
    }

    @Override
    public Object[] toArray() {
        return snapshot().toArray();
    }

    @Override
    public <T> T[] toArray(T[] a) {
        return snapshot().toArray(a);
    }

    // ---- internals ----------------------------------------------------------------------------------

    /** Messages a view decodes per pass over the queue's file. */
    private static final int VIEW_BATCH = 64;

    /** Runs a view of the channel, translating a close underneath. @return how many it took */
    private int view(long after, ChannelAccess.Viewer<Object> viewer) {
        Link l = link();
        try {
            return CHANNELS.view(l.channel, after, viewer);
        } catch (ChannelClosedException x) {
            throw closedUnderneath(x);
        }
    }

    private List<E> snapshot() {
        List<E> out = new ArrayList<>();
        view(-1, (index, e) -> {
            @SuppressWarnings("unchecked")
            E element = (E) e;
            out.add(element);
            return ChannelScanner.CONTINUE;
        });
        return out;
    }

    /** Takes every message {@code filter} accepts; on a joinable queue marks them done. */
    private int removeWhere(Predicate<? super E> filter) {
        Link l = link();
        int n;
        try {
            n = CHANNELS.view(l.channel, -1, (index, e) -> {
                @SuppressWarnings("unchecked")
                E element = (E) e;
                return filter.test(element) ? ChannelScanner.TAKE : ChannelScanner.CONTINUE;
            });
        } catch (ChannelClosedException x) {
            throw closedUnderneath(x);
        }
        markDone(l, n);
        return n;
    }

    /** A joinable queue's messages taken by a view count as done: nobody will process them. */
    private void markDone(Link l, int n) {
        if (joinable) {
            for (int i = 0; i < n; i++) {
                CHANNELS.state(l.channel).tryMarkDone();
            }
        }
    }

    /** {@link #iterator()}: batches of the messages not taken, each read from where the last one stopped. */
    private final class Itr implements Iterator<E> {
        private final ArrayDeque<Object> batch = new ArrayDeque<>(); // index (Long), element, index, element...
        private long after = -1;
        private boolean exhausted;
        private long lastReturned = -1;

        @Override
        public boolean hasNext() {
            if (batch.isEmpty() && !exhausted) {
                int[] n = new int[1];
                view(after, (index, e) -> {
                    batch.add(index);
                    batch.add(e);
                    after = index;
                    return ++n[0] >= VIEW_BATCH ? ChannelScanner.STOP : ChannelScanner.CONTINUE;
                });
                exhausted = n[0] < VIEW_BATCH;
            }
            return !batch.isEmpty();
        }

        @Override
        public E next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more messages in " + describe());
            }
            lastReturned = (Long) batch.poll();
            @SuppressWarnings("unchecked")
            E e = (E) batch.poll();
            return e;
        }

        @Override
        public void remove() {
            if (lastReturned < 0) {
                throw new IllegalStateException("remove() of an iterator of " + describe()
                        + " needs a next() first, and only one remove() per next()");
            }
            long index = lastReturned;
            lastReturned = -1;
            Link l = link();
            boolean taken;
            try {
                taken = CHANNELS.takeAt(l.channel, index);
            } catch (ChannelClosedException x) {
                throw closedUnderneath(x);
            }
            markDone(l, taken ? 1 : 0);
        }
    }

    private E requireElement(E e) {
        if (e == null) {
            throw new NullPointerException(describe() + " refuses null elements");
        }
        return e;
    }

    private FullException fullException() {
        return new FullException(describe() + " is full (maxsize " + maxsize + "); nothing was put");
    }

    private void requireJoinable(String what) {
        if (!joinable) {
            throw new UnsupportedOperationException(what + " needs a joinable queue, and " + describe()
                    + " is not; create it with Manager.joinableQueue(\"" + ref.name() + "\")");
        }
    }

    private ChannelClosedException closedException() {
        return new ChannelClosedException(describe() + " is closed in this handle; get a new handle with "
                + "manager.queue(\"" + ref.name() + "\")");
    }

    /** The channel was closed under this handle: its connection to the manager was closed. */
    private RuntimeException closedUnderneath(ChannelClosedException e) {
        if (closed) {
            return closedException();
        }
        Link l = link;
        if (l != null && !l.watch.alive()) {
            return l.watch.gone(describe());
        }
        ChannelClosedException x = new ChannelClosedException(describe() + ": this process's connection to the "
                + "manager was closed (Manager.close()) while the queue was in use; use a handle from a "
                + "connected Manager");
        x.initCause(e);
        return x;
    }

    /** This JVM's link to the channel; checks the handle is open and (every 100 ms) the manager lives. */
    private Link link() {
        if (closed) {
            throw closedException();
        }
        Link l = link;
        if (l == null || l.channel.isClosed()) {
            if (l != null && !l.watch.alive()) {
                throw l.watch.gone(describe());
            }
            l = Links.get(ref);
            link = l;
        }
        l.watch.check(ref);
        return l;
    }

    private interface Attempt<R> {
        /** The result, or null to wait and try again. */
        R tryOnce();
    }

    /**
     * Tries {@code attempt} until it gives a result or the timeout passes (null), waking on close,
     * interrupt and the manager's death.
     */
    private <R> R await(Link l, long timeout, TimeUnit unit, String op, Attempt<R> attempt)
            throws InterruptedException {
        if (!JfrEvents.on()) {
            return awaitUntimed(l, timeout, unit, op, attempt);
        }
        Object event = JfrEvents.beginQueueWait();
        R r = null;
        try {
            r = awaitUntimed(l, timeout, unit, op, attempt);
            return r;
        } finally {
            JfrEvents.endQueueWait(event, ref.name(), op, r != null);
        }
    }

    private <R> R awaitUntimed(Link l, long timeout, TimeUnit unit, String op, Attempt<R> attempt)
            throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        long start = System.nanoTime();
        long deadline = nanos >= Long.MAX_VALUE - start ? Long.MAX_VALUE : start + Math.max(0, nanos);
        Backoff backoff = null;
        while (true) {
            R r;
            try {
                r = attempt.tryOnce();
            } catch (ChannelClosedException x) {
                throw closedUnderneath(x);
            }
            if (r != null) {
                return r;
            }
            if (Thread.interrupted()) { // before the timeout, as LinkedTransferQueue: poll(0) interrupted throws
                throw new InterruptedException("interrupted while waiting in " + op + " on " + describe());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            if (closed) {
                throw closedException();
            }
            l.watch.check(ref);
            if (backoff == null) {
                backoff = new Backoff();
            }
            backoff.idle(left);
        }
    }

    /** A queue's channel as opened in this JVM, with the watch of its manager. */
    private static final class Link {
        private static final int UNCLAIMED = Integer.MIN_VALUE;
        final Channel<Object> channel;
        final ManagerWatch watch;
        private final Path consumersFile;
        private volatile ConsumerTable consumers;
        /** This process's slot in the consumer table, claimed on its first take. */
        private volatile int slot = UNCLAIMED;

        Link(Channel<Object> channel, ManagerWatch watch, Path consumersFile) {
            this.channel = channel;
            this.watch = watch;
            this.consumersFile = consumersFile;
        }

        /** The queue's consumer table, opened on first use. */
        ConsumerTable consumers() {
            ConsumerTable t = consumers;
            if (t == null) {
                synchronized (this) {
                    t = consumers;
                    if (t == null) {
                        try {
                            t = ConsumerTable.openOrCreate(consumersFile);
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot open the consumer table " + consumersFile, e);
                        }
                        consumers = t;
                    }
                }
            }
            return t;
        }

        /**
         * Counts a message this process took (claiming its slot on the first). Bookkeeping never fails a
         * take: when the table cannot be opened (a file system full before the queue's table was made),
         * this process takes untracked.
         */
        void took() {
            int s = slot;
            if (s == UNCLAIMED) {
                synchronized (this) {
                    s = slot;
                    if (s == UNCLAIMED) {
                        try {
                            s = consumers().claim();
                        } catch (UncheckedIOException | IllegalStateException e) {
                            s = ConsumerTable.NO_SLOT;
                        }
                        slot = s;
                    }
                }
            }
            if (s != ConsumerTable.NO_SLOT) {
                consumers.took(s);
            }
        }

        /** Credits a taskDone() of this process (see {@link ConsumerTable#creditDone}); never fails it. */
        void creditDone() {
            int s = slot;
            try {
                consumers().creditDone(s == UNCLAIMED ? ConsumerTable.NO_SLOT : s);
            } catch (UncheckedIOException | IllegalStateException e) {
                // untracked, as took() when the table cannot be had
            }
        }
    }

    /**
     * The queue channels open in this JVM, one per manager and queue, shared by every handle of the queue
     * here. A channel is opened through this JVM's connection to the manager ({@link HandleRef#client()}),
     * in the space that connection opened, so it is closed when the connection closes; the next use after
     * that opens it again through the new connection.
     */
    private static final class Links {
        private static final Map<String, Link> OPEN = new ConcurrentHashMap<>();

        static Link get(HandleRef ref) {
            ManagerClient client = ref.client();
            String key = ref.address() + "/" + ref.name();
            Link l = OPEN.get(key);
            if (usable(l, client)) {
                return l;
            }
            synchronized (OPEN) {
                l = OPEN.get(key);
                if (!usable(l, client)) {
                    OPEN.values().removeIf(old -> old.channel.isClosed()); // connections closed meanwhile
                    l = new Link(open(client, ref.name()), ManagerWatch.of(client), new SpaceLayout(client.directory())
                            .channelConsumers(ManagerLayout.QUEUE_PREFIX + ref.name()));
                    OPEN.put(key, l);
                }
                return l;
            }
        }

        private static boolean usable(Link l, ManagerClient client) {
            return l != null && !l.channel.isClosed() && l.channel.space() == client.space();
        }

        private static Channel<Object> open(ManagerClient client, String name) {
            String channel = ManagerLayout.QUEUE_PREFIX + name;
            Path state = new SpaceLayout(client.directory()).channelState(channel);
            if (!Files.isRegularFile(state)) {
                ManagerWatch w = ManagerWatch.of(client);
                if (!w.alive()) {
                    throw w.gone("queue '" + name + "'");
                }
                throw new IllegalStateException("queue '" + name + "' has no channel in " + client.directory()
                        + " (" + state + " is missing); get the queue with manager.queue(\"" + name + "\")");
            }
            return client.space().<Object>channelBuilder(channel).open();
        }
    }
}
