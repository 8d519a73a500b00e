package io.ipckit.core;

import io.ipckit.core.internal.Backoff;
import io.ipckit.core.internal.SpaceLayout;
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
 * <p>The whole {@link java.util.Collection} contract holds, with views over the messages not yet taken
 * (read from the queue's file without taking them): {@link #peek()} and {@link #element()}, a weakly
 * consistent {@link #iterator()} (so {@code forEach}, {@code stream} and {@link #toString()}
 * {@code "[a, b]"}), {@link #contains}, {@link #containsAll} and {@link #toArray()}; and removal in place
 * ({@link #remove(Object)}, {@link #removeIf}, {@link #removeAll}, {@link #retainAll}, {@link #clear()},
 * the iterator's {@code remove()}), which takes exactly the chosen messages as a consumer takes one (by
 * the claim word of each in the file), so no consumer in any process gets them and nothing is moved;
 * a bounded queue gets their slots back, and on a joinable queue they count as done. Consumers in other
 * processes compete for the elements, so every view is a snapshot that may be stale the moment after.
 * These cost a pass over the messages not yet taken, with a decode of each one looked at; {@code put},
 * {@code offer}, {@code take} and {@code poll} do not pay for them. {@link #equals} and
 * {@link #hashCode()} are those of the queue (same manager and name), as for the JDK's queues, not of
 * its elements.
 *
 * <p>{@link #shutdown(boolean)} (Python 3.13) ends the queue for every process: puts, and gets on an
 * empty queue, throw {@link QueueShutDownException}; blocked callers wake with it.
 *
 * <p>{@link #consumers()} lists the processes that took from the queue, alive or dead, with what each
 * took and, on a joinable queue, has not marked done: a consumer that died holding messages is seen, and
 * {@link #join()} throws {@link ConsumerDiedException} rather than wait for ever on it. Each take counts
 * itself in a small mapped table of the queue (one atomic add).
 *
 * <p>Safe for any thread of any process; serializable (pass it to another JVM and use it there: it
 * opens the queue's channel on first use). Blocking calls spin briefly, then park (an idle waiter
 * costs well under 1 % of a core); they wake with {@link InterruptedException} when interrupted, with
 * {@link ChannelClosedException} when this handle is {@link #close() closed}, and with
 * {@link ManagerGoneException} within about 100 ms of the manager's death. As with the JDK's queues, a
 * timed call ends after its timeout (a timeout of zero or less is one attempt), and a thread whose
 * interrupt flag is set gets {@link InterruptedException} (clearing the flag) from a call that has to
 * wait; a call that need not wait succeeds and leaves the flag set (as {@code LinkedTransferQueue}), and
 * so does the first use of the queue in a process, which opens its file. A message that a consumer
 * cannot decode is moved to the channel's dead letters and reported with a
 * {@link SerializationException}; the queue stays usable. A view that cannot decode a message throws
 * {@link SerializationException} and leaves the message where it is.
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
        HandleRef ref = HandleRef.create(client, QueueProtocol.CREATE, name, maxsize, joinable);
        try { // made now, while there is room, so that takes are tracked even on a file system that fills up
            ConsumerTable.openOrCreate(new SpaceLayout(client.directory()).channelConsumers(
                    ManagerLayout.QUEUE_PREFIX + name)).close();
        } catch (IOException | RuntimeException e) {
            // the first take tries again, and takes untracked if it cannot
        }
        return new SharedQueue<>(ref, Math.max(0, maxsize),
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
            throw new IllegalStateException("unreachable: put without deadline timed out on " + describe());
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
            throw new FullException(describe() + " stayed full (maxsize " + maxsize + ") for " + timeout + " "
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
        refuseIfShutDown(l, "put");
        try {
            if (maxsize == 0) { // unbounded: Channel's own append, straight from the codec's buffer (no copy)
                return l.channel.offer(requireElement(e));
            }
            return l.channel.tryAppend(l.channel.encode(requireElement(e)));
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
        if (maxsize == 0) {
            return offer(e); // never full: nothing to wait for
        }
        Link l = link();
        refuseIfShutDown(l, "put");
        ChannelAppender.Encoded encoded = l.channel.encode(requireElement(e));
        return await(l, timeout, unit, "put", () -> {
            if (l.channel.tryAppend(encoded)) {
                return Boolean.TRUE;
            }
            refuseIfShutDown(l, "put");
            return null;
        }) != null;
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
            throw new IllegalArgumentException("cannot add " + describe() + " to itself");
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
            throw new IllegalStateException("unreachable: take without deadline timed out on " + describe());
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
            throw new EmptyException(describe() + " stayed empty for " + timeout + " "
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
            throw new EmptyException(describe() + " is empty");
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
        Link l = link();
        if (!l.channel.state().tryMarkDone()) {
            throw new IllegalStateException("taskDone() called more times than there were items put on " + describe()
                    + " (as Python's ValueError); call it once per item taken");
        }
        l.creditDone();
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
     * {@link #taskDone()} (Python's {@code join()}). Unlike Python's, it does not wait for ever when a
     * consumer process died holding messages it took and never marked done: it throws
     * {@link ConsumerDiedException} naming it, within about {@value #CONSUMER_CHECK_MILLIS} ms.
     *
     * @throws ConsumerDiedException when a consumer died holding messages not marked done
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

    /**
     * Python 3.13's {@code shutdown()}: the same as {@code shutdown(false)}.
     *
     * @throws ChannelClosedException when this handle is closed
     */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down for every process (Python 3.13's {@code shutdown(immediate)}): from now on every
     * put throws {@link QueueShutDownException}, and so does a get once the queue is empty; callers blocked
     * in puts or gets, here or in other processes, wake with it within a few milliseconds. With
     * {@code immediate}, the waiting messages are removed as by {@link #clear()} (on a joinable queue they
     * count as done, so a {@link #join()} returns once the messages already taken are marked done), and
     * gets throw at once. A queue cannot be opened again; shutting down twice is harmless (immediate wins).
     * Any thread, any process; never blocks (immediate: a pass over the waiting messages).
     *
     * @throws ChannelClosedException when this handle is closed
     * @throws ManagerGoneException when the manager is gone
     */
    public void shutdown(boolean immediate) {
        Link l = link();
        l.channel.state().raiseShutdown(immediate ? 2 : 1);
        if (immediate) {
            clear();
        }
    }

    /** Whether the queue was {@link #shutdown(boolean) shut down}, by any process. Never blocks. */
    public boolean isShutDown() {
        return link().channel.state().shutdownLevel() != 0;
    }

    private void refuseIfShutDown(Link l, String op) {
        long level = l.channel.state().shutdownLevel();
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

    /**
     * The processes that have taken from this queue, with whether each is alive, how many messages it took
     * and, on a joinable queue, how many of those it has not marked done (0 on a plain queue): how a
     * supervisor sees a consumer that died, perhaps holding a message (the END marker the others wait for,
     * say). A process is listed from its first take; the list keeps up to 63 processes per queue (then a
     * dead one that held nothing makes room; beyond that, new consumers take untracked). Any thread;
     * never blocks; reads a small file of the queue and asks the OS whether each pid lives.
     *
     * @throws ChannelClosedException when this handle is closed
     * @throws ManagerGoneException when the manager is gone
     */
    public java.util.List<Consumer> consumers() {
        java.util.List<Consumer> out = new java.util.ArrayList<>();
        for (ConsumerTable.Entry c : link().consumers().entries()) {
            out.add(new Consumer(c.pid, c.alive, c.taken, joinable ? c.held() : 0));
        }
        return out;
    }

    /**
     * One consumer process of a queue ({@link #consumers()}).
     *
     * @param pid        its pid
     * @param alive      whether it was alive when asked
     * @param taken      messages it took
     * @param unfinished joinable queues: messages it took and did not mark done; 0 on a plain queue
     */
    public record Consumer(long pid, boolean alive, long taken, long unfinished) {
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

    /**
     * The next message, without taking it: the first one not yet taken, decoded. A snapshot: a consumer in
     * any process may take it the moment after, so a {@link #poll()} that follows may return another.
     * Any thread; never blocks. Costs a read of the queue's file from its low-water mark to the first
     * message not taken (skipping the messages taken that no consumer has yet marked passed: up to a few
     * hundred per consumer thread, and those removed in place before it) and one decode.
     *
     * @return the message, or null when the queue is empty
     * @throws SerializationException when the message cannot be decoded (it stays in the queue)
     * @throws ChannelClosedException when this handle is closed
     * @throws ManagerGoneException when the manager is gone
     */
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

    /**
     * As {@link #peek()}, failing when the queue is empty.
     *
     * @throws EmptyException (a {@code NoSuchElementException}) when the queue is empty
     */
    @Override
    public E element() {
        E e = peek();
        if (e == null) {
            throw new EmptyException(describe() + " is empty");
        }
        return e;
    }

    /**
     * The messages not yet taken, oldest first, without taking them. Weakly consistent, as the iterators
     * of {@code java.util.concurrent}'s queues: never throws {@code ConcurrentModificationException},
     * returns each message at most once, and may or may not show messages put or taken (by any process)
     * after it was created. Its {@code remove()} takes exactly the message last returned, when no consumer
     * has taken it meanwhile (then it does nothing); on a joinable queue that message counts as done.
     *
     * <p>For one thread at a time. It reads the queue's file in batches of 64 messages,
     * decoded as they are read (each batch a pass from where the last one stopped); it holds no resource
     * between calls, so it need not be exhausted.
     *
     * @throws SerializationException from {@code hasNext()}/{@code next()} when a message cannot be decoded
     *                                (it stays in the queue)
     * @throws ChannelClosedException from its methods when this handle is closed
     * @throws ManagerGoneException from its methods when the manager is gone
     */
    @Override
    public Iterator<E> iterator() {
        return new Itr();
    }

    /** As {@link #iterator()}: {@code ORDERED}, {@code NONNULL} and {@code CONCURRENT}, not sized. */
    @Override
    public Spliterator<E> spliterator() {
        return Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.CONCURRENT);
    }

    /**
     * Whether a message not yet taken equals {@code o}: a snapshot. Any thread; never blocks. Costs a pass
     * over the messages not yet taken, decoding each until one equals {@code o}.
     *
     * @return false for null, which the queue never holds
     * @throws SerializationException when a message cannot be decoded (it stays in the queue)
     */
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

    /**
     * Whether every element of {@code c} is among the messages not yet taken: a snapshot. Costs one pass
     * over them, decoding each, and a hash set of them.
     *
     * @throws NullPointerException when {@code c} is null
     */
    @Override
    public boolean containsAll(Collection<?> c) {
        Objects.requireNonNull(c, "collection");
        if (c.isEmpty()) {
            return true;
        }
        return new HashSet<>(snapshot()).containsAll(c);
    }

    /**
     * Takes the first message not yet taken that equals {@code o}, wherever it is in the queue: exactly that
     * message, taken as a consumer takes one (its claim word in the queue's file), so no consumer in any
     * process gets it, and no message is moved. A bounded queue gets its slot back; on a joinable queue the
     * message counts as done ({@link #taskDone()} is not called for it). Any thread; never blocks. Costs a
     * pass over the messages not yet taken, decoding each until one equals {@code o}.
     *
     * @return true when a message was taken; false when none equals {@code o} (or {@code o} is null)
     * @throws SerializationException when a message before it cannot be decoded (it stays in the queue)
     */
    @Override
    public boolean remove(Object o) {
        if (o == null) {
            return false;
        }
        return removeWhere(o::equals) > 0;
    }

    /**
     * Takes every message not yet taken that {@code filter} accepts, as {@link #remove(Object)} takes one
     * (in place; slots freed; on a joinable queue each counts as done). Weakly consistent: messages put
     * during the call may or may not be seen. Costs one pass over the messages not yet taken, decoding
     * each; {@code filter} runs on the calling thread.
     *
     * @return whether any message was taken
     * @throws NullPointerException when {@code filter} is null
     * @throws SerializationException when a message cannot be decoded (it and the ones after stay)
     */
    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        Objects.requireNonNull(filter, "filter");
        return removeWhere(filter) > 0;
    }

    /** As {@link #removeIf}, taking the messages that {@code c} contains. */
    @Override
    public boolean removeAll(Collection<?> c) {
        Objects.requireNonNull(c, "collection");
        return removeWhere(c::contains) > 0;
    }

    /** As {@link #removeIf}, taking the messages that {@code c} does not contain. */
    @Override
    public boolean retainAll(Collection<?> c) {
        Objects.requireNonNull(c, "collection");
        return removeWhere(e -> !c.contains(e)) > 0;
    }

    /**
     * Takes every message not yet taken, without decoding them (so also those that could not be decoded,
     * which are discarded rather than moved to the dead letters). On a joinable queue the discarded
     * messages count as done (no one will process them, so {@link #join()} does not wait for them). A
     * bounded queue gets their slots back. Weakly consistent: messages put during the call may stay. Any
     * thread; never blocks. Costs one pass over the messages not yet taken.
     *
     * @throws ChannelClosedException when this handle is closed
     * @throws ManagerGoneException when the manager is gone
     */
    @Override
    public void clear() {
        Link l = link();
        int n;
        try {
            n = l.channel.takeAll();
        } catch (ChannelClosedException x) {
            throw closedUnderneath(x);
        }
        markDone(l, n);
    }

    /**
     * The messages not yet taken, oldest first, in a new array: a snapshot. Costs one pass over them,
     * decoding each.
     *
     * @throws SerializationException when a message cannot be decoded (it stays in the queue)
     */
    @Override
    public Object[] toArray() {
        return snapshot().toArray();
    }

    /** As {@link #toArray()}, into {@code a} when it is large enough (as {@code Collection.toArray(T[])}). */
    @Override
    public <T> T[] toArray(T[] a) {
        return snapshot().toArray(a);
    }

    // ---- internals ----------------------------------------------------------------------------------

    /** Messages a view decodes per pass over the queue's file. */
    private static final int VIEW_BATCH = 64;

    /** Runs a view of the channel, translating a close underneath. @return how many it took */
    private int view(long after, Channel.Viewer<Object> viewer) {
        Link l = link();
        try {
            return l.channel.view(after, viewer);
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
            n = l.channel.view(-1, (index, e) -> {
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
                l.channel.state().tryMarkDone();
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
                taken = l.channel.takeAt(index);
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
