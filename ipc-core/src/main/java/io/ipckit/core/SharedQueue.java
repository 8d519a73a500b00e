package io.ipckit.core;

import io.ipckit.core.internal.Backoff;
import io.ipckit.core.internal.SpaceLayout;
import io.ipckit.core.internal.channel.ChannelAppender;
import io.ipckit.core.internal.channel.ChannelState;
import io.ipckit.core.internal.codec.ByFields;
import io.ipckit.core.internal.manager.HandleRef;
import io.ipckit.core.internal.manager.ManagerClient;
import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.ManagerWatch;
import io.ipckit.core.internal.manager.Protocol;
import io.ipckit.core.internal.manager.handlers.QueueHandler;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A queue shared by processes through a {@link Manager} (Python's {@code m.Queue(maxsize)} and
 * {@code m.JoinableQueue(maxsize)}). The manager only names the queue; its messages go straight through
 * a memory-mapped {@link Channel} of the manager's space ({@code channels/q.<name>}), which each process
 * opens once and shares between its handles. Any number of producers and consumers in any processes;
 * each message is taken by exactly one consumer, FIFO per producer. Elements travel by value through
 * the codec; null is refused.
 *
 * <p>Both vocabularies work: the {@link BlockingQueue} methods ({@code put}, {@code offer},
 * {@code take}, {@code poll}...) and Python's ({@link #get()}, {@link #get(long, TimeUnit)},
 * {@link #getNowait()}, {@link #putNowait(Object)}, {@link #qsize()}, {@link #empty()}, {@link #full()},
 * {@link #taskDone()}, {@link #join()}). Where Python raises {@code queue.Empty} / {@code queue.Full},
 * the Python verbs throw {@link EmptyException} / {@link FullException}; the {@code BlockingQueue}
 * verbs return null / false as that interface says.
 *
 * <p>Not supported, because consumers in other processes compete for the elements and a view of them
 * would be stale before it is used: {@link #peek()}, {@link #element()}, {@link #iterator()} (so
 * {@code forEach}, {@code stream}, {@code removeIf} and {@code toString} of the elements),
 * {@link #contains}, {@link #remove(Object)}, {@link #toArray()}, {@link #containsAll},
 * {@link #removeAll}, {@link #retainAll}. They throw {@link UnsupportedOperationException}.
 *
 * <p>Safe for any thread of any process; serializable (pass it to another JVM and use it there: it
 * opens the queue's channel on first use). Blocking calls spin briefly, then park (an idle waiter
 * costs well under 1 % of a core); they wake with {@link InterruptedException} when interrupted, with
 * {@link ChannelClosedException} when this handle is {@link #close() closed}, and with
 * {@link ManagerGoneException} within about 100 ms of the manager's death. A message that cannot be
 * decoded is moved to the channel's dead letters and reported with a {@link SerializationException};
 * the queue stays usable.
 *
 * @param <E> the type of the elements
 */
public final class SharedQueue<E> implements BlockingQueue<E>, Serializable, ByFields {
    private static final long serialVersionUID = 1L;

    private final HandleRef ref;
    private final int maxsize;
    private final boolean joinable;
    /** This JVM's link to the queue's channel, looked up (or opened) on first use. */
    private transient volatile Link link;
    private transient volatile boolean closed;

    private SharedQueue(HandleRef ref, int maxsize, boolean joinable) {
        this.ref = ref;
        this.maxsize = maxsize;
        this.joinable = joinable;
    }

    static <E> SharedQueue<E> create(ManagerClient client, String name, int maxsize, boolean joinable) {
        client.call(Protocol.MANAGER, name, Protocol.CREATE, QueueHandler.KIND, maxsize, joinable);
        return new SharedQueue<>(new HandleRef(client.address(), QueueHandler.KIND, name), Math.max(0, maxsize),
                joinable);
    }

    /** The queue's name in its manager. Any thread; never blocks. */
    public String name() {
        return ref.name();
    }

    /** The bound on waiting messages, 0 when unbounded (Python's {@code maxsize}). Never blocks. */
    public int maxsize() {
        return maxsize;
    }

    /** Whether this queue has {@link #taskDone()} and {@link #join()}. Never blocks. */
    public boolean isJoinable() {
        return joinable;
    }

    // ---- put ----------------------------------------------------------------------------------------

    /**
     * Puts {@code e}, waiting for room while the queue is full. Any thread.
     *
     * @throws NullPointerException when {@code e} is null
     * @throws SerializationException when {@code e} cannot be encoded (nothing is put)
     * @throws InterruptedException when interrupted while waiting (nothing is put)
     * @throws ChannelClosedException when this handle is closed, also while waiting
     * @throws ManagerGoneException when the manager is gone, also while waiting
     */
    @Override
    public void put(E e) throws InterruptedException {
        if (!offer(e, Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("unreachable: put without deadline timed out on " + this);
        }
    }

    /**
     * Puts {@code e}, waiting up to {@code timeout} for room (Python's {@code put(e, timeout=...)}).
     *
     * @throws FullException when the queue stayed full for the whole timeout (nothing is put)
     * @throws InterruptedException when interrupted while waiting
     * @throws ChannelClosedException when this handle is closed, also while waiting
     * @throws ManagerGoneException when the manager is gone
     */
    public void put(E e, long timeout, TimeUnit unit) throws InterruptedException {
        if (!offer(e, timeout, unit)) {
            throw new FullException(this + " stayed full (maxsize " + maxsize + ") for " + timeout + " "
                    + unit.toString().toLowerCase() + "; nothing was put");
        }
    }

    /**
     * Puts {@code e} when there is room, without waiting (Python's {@code put_nowait}).
     *
     * @throws FullException when the queue is full (nothing is put)
     * @throws SerializationException when {@code e} cannot be encoded
     * @throws ChannelClosedException when this handle is closed
     * @throws ManagerGoneException when the manager is gone
     */
    public void putNowait(E e) {
        if (!offer(e)) {
            throw fullException();
        }
    }

    /**
     * Puts {@code e} when there is room, without waiting ({@code Queue.add}).
     *
     * @return true
     * @throws FullException (an {@code IllegalStateException}) when the queue is full
     * @throws SerializationException when {@code e} cannot be encoded
     */
    @Override
    public boolean add(E e) {
        putNowait(e);
        return true;
    }

    /**
     * Puts {@code e} when there is room, without waiting. Any thread.
     *
     * @return false when the queue is full
     * @throws NullPointerException when {@code e} is null
     * @throws SerializationException when {@code e} cannot be encoded
     * @throws ChannelClosedException when this handle is closed
     * @throws ManagerGoneException when the manager is gone
     */
    @Override
    public boolean offer(E e) {
        Link l = link();
        ChannelAppender.Encoded encoded = l.channel.encode(requireElement(e));
        try {
            return l.channel.tryAppend(encoded);
        } catch (ChannelClosedException x) {
            throw closedUnderneath(x);
        }
    }

    /**
     * Puts {@code e}, waiting up to {@code timeout} for room. Any thread.
     *
     * @return false when the queue stayed full for the whole timeout (nothing is put)
     * @throws NullPointerException when {@code e} or {@code unit} is null
     * @throws SerializationException when {@code e} cannot be encoded
     * @throws InterruptedException when interrupted while waiting
     * @throws ChannelClosedException when this handle is closed, also while waiting
     * @throws ManagerGoneException when the manager is gone, also while waiting
     */
    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        Link l = link();
        ChannelAppender.Encoded encoded = l.channel.encode(requireElement(e));
        return await(l, timeout, unit, "put", () -> l.channel.tryAppend(encoded) ? Boolean.TRUE : null) != null;
    }

    /**
     * Puts every element of {@code c} in turn, without waiting.
     *
     * @throws FullException when the queue fills up (the elements before were put)
     * @throws IllegalArgumentException when {@code c} is this queue
     */
    @Override
    public boolean addAll(Collection<? extends E> c) {
        if (c == this) {
            throw new IllegalArgumentException("cannot add " + this + " to itself");
        }
        boolean changed = false;
        for (E e : c) {
            changed |= add(e);
        }
        return changed;
    }

    // ---- get ----------------------------------------------------------------------------------------

    /**
     * Takes the next message, waiting as long as it takes. Any thread.
     *
     * @throws InterruptedException when interrupted while waiting
     * @throws ChannelClosedException when this handle is closed, also while waiting
     * @throws ManagerGoneException when the manager is gone, also while waiting
     * @throws SerializationException when the message cannot be decoded (moved to the dead letters)
     */
    @Override
    public E take() throws InterruptedException {
        E e = poll(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        if (e == null) {
            throw new IllegalStateException("unreachable: take without deadline timed out on " + this);
        }
        return e;
    }

    /** Python's {@code get()}: the same as {@link #take()}. */
    public E get() throws InterruptedException {
        return take();
    }

    /**
     * Python's {@code get(timeout=...)}: takes the next message, waiting up to {@code timeout}.
     *
     * @throws EmptyException when none came in time ({@link #poll(long, TimeUnit)} returns null instead)
     * @throws InterruptedException when interrupted while waiting
     * @throws ChannelClosedException when this handle is closed, also while waiting
     * @throws ManagerGoneException when the manager is gone
     * @throws SerializationException when the message cannot be decoded (moved to the dead letters)
     */
    public E get(long timeout, TimeUnit unit) throws InterruptedException {
        E e = poll(timeout, unit);
        if (e == null) {
            throw new EmptyException(this + " stayed empty for " + timeout + " "
                    + unit.toString().toLowerCase());
        }
        return e;
    }

    /**
     * Python's {@code get_nowait()}: takes the next message without waiting.
     *
     * @throws EmptyException when the queue is empty ({@link #poll()} returns null instead)
     * @throws ChannelClosedException when this handle is closed
     * @throws ManagerGoneException when the manager is gone
     * @throws SerializationException when the message cannot be decoded (moved to the dead letters)
     */
    public E getNowait() {
        E e = poll();
        if (e == null) {
            throw new EmptyException(this + " is empty");
        }
        return e;
    }

    /**
     * Takes the next message without waiting ({@code Queue.remove()}).
     *
     * @throws EmptyException (a {@code NoSuchElementException}) when the queue is empty
     */
    @Override
    public E remove() {
        return getNowait();
    }

    /**
     * Takes the next message when there is one, without waiting. Any thread.
     *
     * @return the message, or null when the queue is empty
     * @throws ChannelClosedException when this handle is closed
     * @throws ManagerGoneException when the manager is gone
     * @throws SerializationException when the message cannot be decoded (moved to the dead letters)
     */
    @Override
    public E poll() {
        Link l = link();
        try {
            @SuppressWarnings("unchecked")
            E e = (E) l.channel.poll();
            return e;
        } catch (ChannelClosedException x) {
            throw closedUnderneath(x);
        }
    }

    /**
     * Takes the next message, waiting up to {@code timeout}. Any thread.
     *
     * @return the message, or null when none came in time
     * @throws InterruptedException when interrupted while waiting
     * @throws ChannelClosedException when this handle is closed, also while waiting
     * @throws ManagerGoneException when the manager is gone, also while waiting
     * @throws SerializationException when the message cannot be decoded (moved to the dead letters)
     */
    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        Link l = link();
        @SuppressWarnings("unchecked")
        E e = (E) await(l, timeout, unit, "get", l.channel::poll);
        return e;
    }

    /**
     * Moves every message available now into {@code c}, without waiting. On a joinable queue each still
     * needs its {@link #taskDone()}.
     *
     * @return how many were moved
     * @throws IllegalArgumentException when {@code c} is this queue
     */
    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    /** As {@link #drainTo(Collection)}, moving at most {@code maxElements}. */
    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c, "collection");
        if (c == this) {
            throw new IllegalArgumentException("cannot drain " + this + " into itself");
        }
        int n = 0;
        while (n < maxElements) {
            E e = poll();
            if (e == null) {
                break;
            }
            c.add(e);
            n++;
        }
        return n;
    }

    /**
     * Discards every message available now, without waiting. On a joinable queue the discarded messages
     * count as done (no one will process them, so {@link #join()} does not wait for them). Messages that
     * cannot be decoded are moved to the dead letters and skipped.
     *
     * @throws ChannelClosedException when this handle is closed
     * @throws ManagerGoneException when the manager is gone
     */
    @Override
    public void clear() {
        while (true) {
            try {
                if (poll() == null) {
                    return;
                }
            } catch (SerializationException undecodable) {
                // moved to the dead letters by the channel; discarded as asked
            }
            if (joinable) {
                link().channel.state().tryMarkDone();
            }
        }
    }

    // ---- sizes --------------------------------------------------------------------------------------

    /**
     * The messages consumers of this queue (in any process) took but could not decode, oldest first, as
     * {@link Channel#deadLetters()}. Reading them does not remove them. Any thread, any process holding the
     * handle; reads the queue's files, not the manager.
     *
     * @throws ChannelClosedException when the queue was closed
     * @throws ManagerGoneException when this handle's manager was closed
     */
    public java.util.List<DeadLetter> deadLetters() {
        return link().channel.deadLetters();
    }

    /** Messages put and not yet taken, across all processes: a snapshot. Never blocks. */
    @Override
    public int size() {
        return link().channel.size();
    }

    /** Python's {@code qsize()}: the same as {@link #size()}. */
    public int qsize() {
        return size();
    }

    /** Whether {@link #size()} is 0: a snapshot. Never blocks. */
    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    /** Python's {@code empty()}: the same as {@link #isEmpty()}. */
    public boolean empty() {
        return isEmpty();
    }

    /** Whether a bounded queue has no room left: a snapshot; always false when unbounded. Never blocks. */
    public boolean isFull() {
        return maxsize > 0 && remainingCapacity() == 0;
    }

    /** Python's {@code full()}: the same as {@link #isFull()}. */
    public boolean full() {
        return isFull();
    }

    /** Room left before producers wait; {@code Integer.MAX_VALUE} when unbounded. A snapshot. */
    @Override
    public int remainingCapacity() {
        return link().channel.remainingCapacity();
    }

    // ---- joinable -----------------------------------------------------------------------------------

    /**
     * Marks one message taken from a joinable queue as processed (Python's {@code task_done()}). Any
     * thread of any process; works on the channel's mapped counters, never blocks.
     *
     * @throws IllegalStateException when called more times than there were messages put
     * @throws UnsupportedOperationException when the queue is not joinable
     */
    public void taskDone() {
        requireJoinable("taskDone()");
        if (!link().channel.state().tryMarkDone()) {
            throw new IllegalStateException("taskDone() called more times than there were items put on " + this
                    + " (as Python's ValueError); call it once per item taken");
        }
    }

    /**
     * Messages put on a joinable queue and not yet marked done: a snapshot. Never blocks.
     *
     * @throws UnsupportedOperationException when the queue is not joinable
     */
    public long unfinishedTasks() {
        requireJoinable("unfinishedTasks()");
        ChannelState s = link().channel.state();
        long done = s.done();
        return Math.max(0, s.appended() - done);
    }

    /**
     * Waits until every message put on this joinable queue has been marked done with
     * {@link #taskDone()} (Python's {@code join()}).
     *
     * @throws InterruptedException when interrupted while waiting
     * @throws ChannelClosedException when this handle is closed while waiting
     * @throws ManagerGoneException when the manager is gone, also while waiting
     * @throws UnsupportedOperationException when the queue is not joinable
     */
    public void join() throws InterruptedException {
        join(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * As {@link #join()}, waiting at most {@code timeout}.
     *
     * @return false when messages were still unfinished when the timeout passed
     */
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        requireJoinable("join()");
        Link l = link();
        ChannelState s = l.channel.state();
        return await(l, timeout, unit, "join", () -> s.done() >= s.appended() ? Boolean.TRUE : null) != null;
    }

    // ---- lifecycle ----------------------------------------------------------------------------------

    /**
     * Closes this handle (Python's {@code close()}): callers blocked in it wake with
     * {@link ChannelClosedException} (within about 10 ms), and later calls on it throw that too. The
     * queue and its messages stay for every other handle and process. Any thread; idempotent; never
     * blocks.
     */
    public void close() {
        closed = true;
    }

    /** Whether {@link #close()} was called on this handle. */
    public boolean isClosed() {
        return closed;
    }

    /** Same queue: same manager and name. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SharedQueue)) {
            return false;
        }
        SharedQueue<?> q = (SharedQueue<?>) o;
        return q.ref.address().equals(ref.address()) && q.ref.name().equals(ref.name());
    }

    @Override
    public int hashCode() {
        return ref.address().hashCode() * 31 + ref.name().hashCode();
    }

    /** Names the queue and its manager's directory (never the access token); shows no elements. */
    @Override
    public String toString() {
        return (joinable ? "joinable queue '" : "queue '") + ref.name() + "' of the manager in "
                + ManagerLayout.directoryOf(ref.address());
    }

    // ---- unsupported views --------------------------------------------------------------------------

    /** Not supported: consumers compete, so the head may be taken by another process at any time. */
    @Override
    public E peek() {
        throw unsupported("peek()");
    }

    /** Not supported: see {@link #peek()}. */
    @Override
    public E element() {
        throw unsupported("element()");
    }

    /** Not supported: the elements are being taken by other processes. */
    @Override
    public Iterator<E> iterator() {
        throw unsupported("iterator()");
    }

    /** Not supported: see {@link #iterator()}. */
    @Override
    public boolean contains(Object o) {
        throw unsupported("contains()");
    }

    /** Not supported: see {@link #iterator()}. */
    @Override
    public boolean remove(Object o) {
        throw unsupported("remove(Object)");
    }

    /** Not supported: see {@link #iterator()}; {@link #drainTo} takes the elements instead. */
    @Override
    public Object[] toArray() {
        throw unsupported("toArray()");
    }

    /** Not supported: see {@link #toArray()}. */
    @Override
    public <T> T[] toArray(T[] a) {
        throw unsupported("toArray(T[])");
    }

    /** Not supported: see {@link #iterator()}. */
    @Override
    public boolean containsAll(Collection<?> c) {
        throw unsupported("containsAll()");
    }

    /** Not supported: see {@link #iterator()}. */
    @Override
    public boolean removeAll(Collection<?> c) {
        throw unsupported("removeAll()");
    }

    /** Not supported: see {@link #iterator()}. */
    @Override
    public boolean retainAll(Collection<?> c) {
        throw unsupported("retainAll()");
    }

    // ---- internals ----------------------------------------------------------------------------------

    private UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(what + " is not supported by " + this + ": consumers in "
                + "other processes compete for its elements, so a view of them would be stale; take elements "
                + "with poll()/take()/drainTo(), and use size() for a count");
    }

    private E requireElement(E e) {
        if (e == null) {
            throw new NullPointerException(this + " refuses null elements");
        }
        return e;
    }

    private FullException fullException() {
        return new FullException(this + " is full (maxsize " + maxsize + "); nothing was put");
    }

    private void requireJoinable(String what) {
        if (!joinable) {
            throw new UnsupportedOperationException(what + " needs a joinable queue, and " + this
                    + " is not; create it with Manager.joinableQueue(\"" + ref.name() + "\")");
        }
    }

    private ChannelClosedException closedException() {
        return new ChannelClosedException(this + " is closed in this handle; get a new handle with "
                + "manager.queue(\"" + ref.name() + "\")");
    }

    /** The channel was closed under this handle: its connection to the manager was closed. */
    private RuntimeException closedUnderneath(ChannelClosedException e) {
        if (closed) {
            return closedException();
        }
        Link l = link;
        if (l != null && !l.watch.alive()) {
            return l.watch.gone(this);
        }
        ChannelClosedException x = new ChannelClosedException(this + ": this process's connection to the "
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
                throw l.watch.gone(this);
            }
            l = Links.get(ref);
            link = l;
        }
        l.watch.check(this);
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
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting in " + op + " on " + this);
            }
            if (closed) {
                throw closedException();
            }
            l.watch.check(this);
            if (backoff == null) {
                backoff = new Backoff();
            }
            backoff.idle(left);
        }
    }

    /** A queue's channel as opened in this JVM, with the watch of its manager. */
    private static final class Link {
        final Channel<Object> channel;
        final ManagerWatch watch;

        Link(Channel<Object> channel, ManagerWatch watch) {
            this.channel = channel;
            this.watch = watch;
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
                    l = new Link(open(client, ref.name()), ManagerWatch.of(client));
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
