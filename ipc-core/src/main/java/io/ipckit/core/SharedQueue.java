package io.ipckit.core;

import java.io.Serializable;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A queue shared by processes through a {@link Manager} (Python's {@code m.Queue(maxsize)} and
 * {@code m.JoinableQueue(maxsize)}). On the local backend (a manager of this host) the manager only names
 * the queue; its messages go straight through a memory-mapped {@link Channel} of the manager's space
 * ({@code channels/q.<name>}), which each process opens once and shares between its handles; what is said
 * below of files, channels and dead letters is of that backend. Any number of producers and consumers in any processes;
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
public interface SharedQueue<E> extends BlockingQueue<E>, Serializable {

    /** The queue's name in its manager. Any thread; never blocks. */
    String name();

    /** The bound on waiting messages, 0 when unbounded (Python's {@code maxsize}). Never blocks. */
    int maxsize();

    /** Whether this queue has {@link #taskDone()} and {@link #join()}. Never blocks. */
    boolean isJoinable();

    /**
     * Puts {@code e}, waiting for room while the queue is full. Any thread.
     *
     * @throws NullPointerException when {@code e} is null
     * @throws SerializationException when {@code e} cannot be encoded (nothing is put)
     * @throws InterruptedException when interrupted while waiting (nothing is put)
     * @throws ChannelClosedException when this handle is closed, also while waiting
     * @throws ManagerGoneException when the manager is gone, also while waiting
     */
    void put(E e) throws InterruptedException;

    /**
     * Puts {@code e}, waiting up to {@code timeout} for room (Python's {@code put(e, timeout=...)}).
     *
     * @throws FullException when the queue stayed full for the whole timeout (nothing is put)
     * @throws InterruptedException when interrupted while waiting
     * @throws ChannelClosedException when this handle is closed, also while waiting
     * @throws ManagerGoneException when the manager is gone
     */
    void put(E e, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Puts {@code e} when there is room, without waiting (Python's {@code put_nowait}).
     *
     * @throws FullException when the queue is full (nothing is put)
     * @throws SerializationException when {@code e} cannot be encoded
     * @throws ChannelClosedException when this handle is closed
     * @throws ManagerGoneException when the manager is gone
     */
    void putNowait(E e);

    /**
     * Puts {@code e} when there is room, without waiting ({@code Queue.add}).
     *
     * @return true
     * @throws FullException (an {@code IllegalStateException}) when the queue is full
     * @throws SerializationException when {@code e} cannot be encoded
     */
    boolean add(E e);

    /**
     * Puts {@code e} when there is room, without waiting. Any thread.
     *
     * @return false when the queue is full
     * @throws NullPointerException when {@code e} is null
     * @throws SerializationException when {@code e} cannot be encoded
     * @throws ChannelClosedException when this handle is closed
     * @throws ManagerGoneException when the manager is gone
     */
    boolean offer(E e);

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
    boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Puts every element of {@code c} in turn, without waiting.
     *
     * @throws FullException when the queue fills up (the elements before were put)
     * @throws IllegalArgumentException when {@code c} is this queue
     */
    boolean addAll(Collection<? extends E> c);

    /**
     * Takes the next message, waiting as long as it takes. Any thread.
     *
     * @throws InterruptedException when interrupted while waiting
     * @throws ChannelClosedException when this handle is closed, also while waiting
     * @throws ManagerGoneException when the manager is gone, also while waiting
     * @throws SerializationException when the message cannot be decoded (moved to the dead letters)
     */
    E take() throws InterruptedException;

    /** Python's {@code get()}: the same as {@link #take()}. */
    E get() throws InterruptedException;

    /**
     * Python's {@code get(timeout=...)}: takes the next message, waiting up to {@code timeout}.
     *
     * @throws EmptyException when none came in time ({@link #poll(long, TimeUnit)} returns null instead)
     * @throws InterruptedException when interrupted while waiting
     * @throws ChannelClosedException when this handle is closed, also while waiting
     * @throws ManagerGoneException when the manager is gone
     * @throws SerializationException when the message cannot be decoded (moved to the dead letters)
     */
    E get(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Python's {@code get_nowait()}: takes the next message without waiting.
     *
     * @throws EmptyException when the queue is empty ({@link #poll()} returns null instead)
     * @throws ChannelClosedException when this handle is closed
     * @throws ManagerGoneException when the manager is gone
     * @throws SerializationException when the message cannot be decoded (moved to the dead letters)
     */
    E getNowait();

    /**
     * Takes the next message without waiting ({@code Queue.remove()}).
     *
     * @throws EmptyException (a {@code NoSuchElementException}) when the queue is empty
     */
    E remove();

    /**
     * Takes the next message when there is one, without waiting. Any thread.
     *
     * @return the message, or null when the queue is empty
     * @throws ChannelClosedException when this handle is closed
     * @throws ManagerGoneException when the manager is gone
     * @throws SerializationException when the message cannot be decoded (moved to the dead letters)
     */
    E poll();

    /**
     * Takes the next message, waiting up to {@code timeout}. Any thread.
     *
     * @return the message, or null when none came in time
     * @throws InterruptedException when interrupted while waiting
     * @throws ChannelClosedException when this handle is closed, also while waiting
     * @throws ManagerGoneException when the manager is gone, also while waiting
     * @throws SerializationException when the message cannot be decoded (moved to the dead letters)
     */
    E poll(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Moves every message available now into {@code c}, without waiting. On a joinable queue each still
     * needs its {@link #taskDone()}.
     *
     * @return how many were moved
     * @throws IllegalArgumentException when {@code c} is this queue
     */
    int drainTo(Collection<? super E> c);

    /** As {@link #drainTo(Collection)}, moving at most {@code maxElements}. */
    int drainTo(Collection<? super E> c, int maxElements);

    /**
     * The messages consumers of this queue (in any process) took but could not decode, oldest first, as
     * {@link Channel#deadLetters()}. Reading them does not remove them. Any thread, any process holding the
     * handle; reads the queue's files, not the manager.
     *
     * @throws ChannelClosedException when the queue was closed
     * @throws ManagerGoneException when this handle's manager was closed
     */
    java.util.List<DeadLetter> deadLetters();

    /** Messages put and not yet taken, across all processes: a snapshot. Never blocks. */
    int size();

    /** Python's {@code qsize()}: the same as {@link #size()}. */
    int qsize();

    /** Whether {@link #size()} is 0: a snapshot. Never blocks. */
    boolean isEmpty();

    /** Python's {@code empty()}: the same as {@link #isEmpty()}. */
    boolean empty();

    /** Whether a bounded queue has no room left: a snapshot; always false when unbounded. Never blocks. */
    boolean isFull();

    /** Python's {@code full()}: the same as {@link #isFull()}. */
    boolean full();

    /** Room left before producers wait; {@code Integer.MAX_VALUE} when unbounded. A snapshot. */
    int remainingCapacity();

    /**
     * Marks one message taken from a joinable queue as processed (Python's {@code task_done()}). Any
     * thread of any process; works on the channel's mapped counters, never blocks.
     *
     * @throws IllegalStateException when called more times than there were messages put
     * @throws UnsupportedOperationException when the queue is not joinable
     */
    void taskDone();

    /**
     * Messages put on a joinable queue and not yet marked done: a snapshot. Never blocks.
     *
     * @throws UnsupportedOperationException when the queue is not joinable
     */
    long unfinishedTasks();

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
    void join() throws InterruptedException;

    /**
     * As {@link #join()}, waiting at most {@code timeout}.
     *
     * @return false when messages were still unfinished when the timeout passed
     */
    boolean join(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Python 3.13's {@code shutdown()}: the same as {@code shutdown(false)}.
     *
     * @throws ChannelClosedException when this handle is closed
     */
    void shutdown();

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
    void shutdown(boolean immediate);

    /** Whether the queue was {@link #shutdown(boolean) shut down}, by any process. Never blocks. */
    boolean isShutDown();

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
    java.util.List<Consumer> consumers();

    /**
     * One consumer process of a queue ({@link #consumers()}).
     *
     * @param pid        its pid
     * @param alive      whether it was alive when asked
     * @param taken      messages it took
     * @param unfinished joinable queues: messages it took and did not mark done; 0 on a plain queue
     */
    record Consumer(long pid, boolean alive, long taken, long unfinished) {
    }

    /**
     * Closes this handle (Python's {@code close()}): callers blocked in it wake with
     * {@link ChannelClosedException} (within about 10 ms), and later calls on it throw that too. The
     * queue and its messages stay for every other handle and process. Any thread; idempotent; never
     * blocks.
     */
    void close();

    /** Whether {@link #close()} was called on this handle. */
    boolean isClosed();

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
    E peek();

    /**
     * As {@link #peek()}, failing when the queue is empty.
     *
     * @throws EmptyException (a {@code NoSuchElementException}) when the queue is empty
     */
    E element();

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
    Iterator<E> iterator();

    /** As {@link #iterator()}: {@code ORDERED}, {@code NONNULL} and {@code CONCURRENT}, not sized. */
    Spliterator<E> spliterator();

    /**
     * Whether a message not yet taken equals {@code o}: a snapshot. Any thread; never blocks. Costs a pass
     * over the messages not yet taken, decoding each until one equals {@code o}.
     *
     * @return false for null, which the queue never holds
     * @throws SerializationException when a message cannot be decoded (it stays in the queue)
     */
    boolean contains(Object o);

    /**
     * Whether every element of {@code c} is among the messages not yet taken: a snapshot. Costs one pass
     * over them, decoding each, and a hash set of them.
     *
     * @throws NullPointerException when {@code c} is null
     */
    boolean containsAll(Collection<?> c);

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
    boolean remove(Object o);

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
    boolean removeIf(Predicate<? super E> filter);

    /** As {@link #removeIf}, taking the messages that {@code c} contains. */
    boolean removeAll(Collection<?> c);

    /** As {@link #removeIf}, taking the messages that {@code c} does not contain. */
    boolean retainAll(Collection<?> c);

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
    void clear();

    /**
     * The messages not yet taken, oldest first, in a new array: a snapshot. Costs one pass over them,
     * decoding each.
     *
     * @throws SerializationException when a message cannot be decoded (it stays in the queue)
     */
    Object[] toArray();

    /** As {@link #toArray()}, into {@code a} when it is large enough (as {@code Collection.toArray(T[])}). */
    <T> T[] toArray(T[] a);
}
