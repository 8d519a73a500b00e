package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.internal.codec.ByReference;

import com.hazelcast.collection.IQueue;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.ipckit.core.Codec;
import io.ipckit.core.EmptyException;
import io.ipckit.core.FullException;

import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A queue on the cluster: a Hazelcast {@code IQueue<byte[]>} of sealed, encoded items (Python's
 * {@code m.Queue(maxsize)} / {@code m.JoinableQueue()} on several hosts). The queue's items live in the
 * partition of its name, with the node's backup count of synchronous backups (default 1: items survive
 * the loss of one member).
 *
 * <p>Any thread of any process with the cluster address. Blocking calls wait in slices of at most
 * {@value #SLICE_MILLIS} ms (each one cluster call), so a wait ends with the cluster's loss
 * ({@link io.ipckit.cluster.ClusterUnreachableException} after the client's invocation timeout) rather
 * than hanging; so does any other call. Items are FIFO. {@link #shutdown(boolean)} and {@link #consumers()} work
 * across processes and hosts as their Javadoc says (state in two IMaps, {@value QueueShutdowns#MAP} and
 * {@value ConsumerState#MAP}); {@link #join} throws {@code ConsumerDiedException} within about
 * {@value #CONSUMER_CHECK_MILLIS} ms once a consumer that died holding items is seen dead. No dead letters: an
 * item taken by a process that then dies is lost (as with Python's queue; {@link #consumers()} shows it).
 *
 * <p>Limits of Hazelcast's queue: the bound of a bounded queue is per name and fixed by the first
 * creator (dynamic configuration); a later {@code create} of the same name with another bound throws
 * {@link IllegalStateException}. {@code remove(Object)} and {@code contains} decode every item
 * (payloads are sealed with a fresh nonce, so equal items have different bytes). An interrupted wait
 * may still take an item on the member side, and that item is then lost. When the member that owns the
 * queue dies, its backup takes over and the caller sees nothing but a pause (measured: see
 * ClusterFailoverTest); an item put or taken at that very moment may be put twice or lost (the client
 * redoes operations cut by a member's death).
 *
 * @param <E> the item type
 */
public final class ClusterQueue<E> extends AbstractQueue<E> implements BlockingQueue<E>, io.ipckit.core.SharedQueue<E>, ByReference {
    private static final long serialVersionUID = 1L;
    /** The address it was got from, for its {@link #reference()}; null when made from a Hazelcast instance. */
    private volatile ClusterAddress origin;

    static final long SLICE_MILLIS = 1000;

    private final String name;
    private final int maxsize;
    private final boolean joinable;
    private final IQueue<byte[]> queue;
    private final IMap<String, Long> counters;
    private final Payloads payloads;
    private final QueueShutdowns shutdowns;
    private final ConsumerTally tally;
    private final HazelcastInstance hazelcast;
    private volatile boolean closed;

    private ClusterQueue(String name, int maxsize, boolean joinable, IQueue<byte[]> queue,
                         IMap<String, Long> counters, Payloads payloads, HazelcastInstance hazelcast) {
        this.name = name;
        this.maxsize = maxsize;
        this.joinable = joinable;
        this.queue = queue;
        this.counters = counters;
        this.payloads = payloads;
        this.hazelcast = hazelcast;
        this.shutdowns = QueueShutdowns.of(hazelcast);
        this.tally = ConsumerTally.of(hazelcast, name);
    }

    /**
     * The queue {@code name} of the cluster that {@code hazelcast} is connected to (a client or a member),
     * created on first use. Blocks for one or two cluster calls.
     *
     * @param maxsize bound on waiting items, 0 (or less) for none
     * @throws IllegalStateException when the queue exists with another bound
     */
    public static <E> ClusterQueue<E> create(HazelcastInstance hazelcast, Sealer sealer, Codec codec, String name,
                                             int maxsize, boolean joinable) {
        Names.check("queue", name);
        String hzName = "ipckit.q." + name;
        int bound = Math.max(0, maxsize);
        if (bound > 0) {
            Integer backups = hazelcast.<String, Integer>getMap(Names.META).get("backupCount");
            try {
                hazelcast.getConfig().addQueueConfig(new QueueConfig(hzName).setMaxSize(bound)
                        .setBackupCount(backups == null ? 1 : backups));
            } catch (InvalidConfigurationException e) {
                throw new IllegalStateException("cluster queue '" + name + "' already exists with another bound than"
                        + " maxsize " + bound + "; open it with its own maxsize or use another name", e);
            }
        }
        String what = "cluster queue '" + name + "'";
        return new ClusterQueue<>(name, bound, joinable, Guard.queue(hazelcast.getQueue(hzName), what),
                Guard.map(hazelcast.getMap(Names.COUNTERS), what), new Payloads(codec, sealer, "queue:" + name), hazelcast);
    }

    public String name() {
        return name;
    }

    /** The bound on waiting items, 0 when unbounded. */
    public int maxsize() {
        return maxsize;
    }

    public boolean isJoinable() {
        return joinable;
    }

    // ---- put ----

    /** Puts {@code e} if there is room now. @throws NullPointerException for null */
    @Override
    public boolean offer(E e) {
        checkOpen();
        checkPut();
        byte[] sealed = payloads.seal(Objects.requireNonNull(e, "a cluster queue refuses null items"));
        countPut();
        boolean ok = false;
        try {
            ok = queue.offer(sealed);
            return ok;
        } finally {
            if (!ok) {
                uncountPut();
            }
        }
    }

    /** Puts {@code e}, waiting up to the timeout for room. */
    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        checkOpen();
        checkPut();
        byte[] sealed = payloads.seal(Objects.requireNonNull(e, "a cluster queue refuses null items"));
        countPut();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        boolean ok = false;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                QueueShutdowns.Waiter w = shutdowns.enter(name);
                if (shutdowns.state(name) != null) {
                    shutdowns.leave(name, w);
                    checkPut();
                }
                try {
                    ok = queue.offer(sealed, Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS))),
                            TimeUnit.NANOSECONDS);
                } catch (InterruptedException ie) {
                    if (!w.woken) {
                        throw ie;
                    }
                } finally {
                    shutdowns.leave(name, w);
                }
                if (ok || deadline - System.nanoTime() <= 0) {
                    return ok;
                }
                if (!w.woken) {
                    shutdowns.readFromCluster(name); // once a slice: in case the shutdown's event was lost
                }
                checkPut();
            }
        } finally {
            if (!ok) {
                uncountPut();
            }
        }
    }

    /** Puts {@code e}, waiting for room for as long as it takes. */
    @Override
    public void put(E e) throws InterruptedException {
        while (!offer(e, 1, TimeUnit.DAYS)) {
            // a day at a time
        }
    }

    /**
     * Puts {@code e} when there is room now ({@code Queue.add}).
     *
     * @throws FullException (an {@code IllegalStateException}) when the queue is full; nothing was put
     */
    @Override
    public boolean add(E e) {
        if (!offer(e)) {
            throw new FullException(this + " is full (maxsize " + maxsize + "); nothing was put");
        }
        return true;
    }

    /**
     * Puts every element of {@code c}, without waiting: each sealed on its own (as {@link #put}), then all in one
     * Hazelcast {@code IQueue.addAll} (one cluster call for the whole batch). When a bounded queue has no room
     * for all of them, Hazelcast puts none (it throws "Queue full"), and they go one by one as {@link #add} until
     * the queue is full.
     * Any thread; blocks for one cluster call (or one per element in that case).
     *
     * @return whether anything was put (false for an empty {@code c})
     * @throws FullException when the queue fills up (the elements before were put)
     * @throws NullPointerException when {@code c} or an element is null (nothing is put)
     * @throws IllegalArgumentException when {@code c} is this queue
     */
    @Override
    public boolean addAll(Collection<? extends E> c) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot add " + this + " to itself");
        }
        checkOpen();
        checkPut();
        List<byte[]> sealed = new ArrayList<>(c.size());
        for (E e : c) {
            sealed.add(payloads.seal(Objects.requireNonNull(e, "a cluster queue refuses null items (addAll)")));
        }
        if (sealed.isEmpty()) {
            return false;
        }
        countPut(sealed.size());
        boolean ok = false;
        try {
            ok = queue.addAll(sealed);
        } catch (IllegalStateException full) { // Hazelcast's "Queue full": nothing was put
            if (full instanceof io.ipckit.core.ManagerGoneException || maxsize == 0) {
                throw full;
            }
        } finally {
            if (!ok) {
                uncountPut(sealed.size());
            }
        }
        if (!ok) { // a bounded queue without room for all: as many as fit, then FullException
            for (E e : c) {
                add(e);
            }
        }
        return true;
    }

    /** Python's {@code put(e, timeout=...)}. @throws FullException when still full after the timeout */
    public void put(E e, long timeout, TimeUnit unit) throws InterruptedException {
        if (!offer(e, timeout, unit)) {
            throw new FullException(this + " stayed full (maxsize " + maxsize + ") for " + timeout + " "
                    + unit.toString().toLowerCase() + "; nothing was put");
        }
    }

    /** Python's {@code put_nowait}. @throws FullException when full */
    public void putNowait(E e) {
        if (!offer(e)) {
            throw new FullException(this + " is full (maxsize " + maxsize + "); nothing was put");
        }
    }

    // ---- take ----

    @Override
    public E poll() {
        checkOpen();
        Boolean down = shutdowns.state(name);
        if (Boolean.TRUE.equals(down)) {
            throw shutDown("get");
        }
        byte[] b = queue.poll();
        if (b == null) {
            if (down != null) {
                throw shutDown("get");
            }
            return null;
        }
        tally.took(1);
        return openTaken(b);
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        checkOpen();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            if (shutdowns.state(name) != null) {
                return poll(); // drains what is left, then throws (at once when immediate)
            }
            long left = deadline - System.nanoTime();
            QueueShutdowns.Waiter w = shutdowns.enter(name);
            if (shutdowns.state(name) != null) { // shut down before this waiter was listed: not woken
                shutdowns.leave(name, w);
                continue;
            }
            byte[] b = null;
            try {
                b = queue.poll(Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS))),
                        TimeUnit.NANOSECONDS);
            } catch (InterruptedException ie) {
                if (!w.woken) {
                    throw ie;
                }
            } finally {
                shutdowns.leave(name, w);
            }
            if (b != null) {
                tally.took(1);
                return openTaken(b);
            }
            if (w.woken) {
                continue; // shut down: the state decides
            }
            if (deadline - System.nanoTime() <= 0) {
                return null;
            }
            shutdowns.readFromCluster(name); // once a slice: in case the shutdown's event was lost
        }
    }

    @Override
    public E take() throws InterruptedException {
        checkOpen();
        E e;
        do {
            e = poll(1, TimeUnit.DAYS);
        } while (e == null);
        return e;
    }

    /** Python's {@code get()}: as {@link #take()}. */
    public E get() throws InterruptedException {
        return take();
    }

    /** Python's {@code get(timeout=...)}. @throws EmptyException when none came in time */
    public E get(long timeout, TimeUnit unit) throws InterruptedException {
        E e = poll(timeout, unit);
        if (e == null) {
            throw new EmptyException(this + " stayed empty for " + timeout + " " + unit.toString().toLowerCase());
        }
        return e;
    }

    /** Python's {@code get_nowait()}. @throws EmptyException when empty */
    public E getNowait() {
        E e = poll();
        if (e == null) {
            throw new EmptyException(this + " is empty");
        }
        return e;
    }

    @Override
    public E peek() {
        byte[] b = queue.peek();
        return b == null ? null : payloads.open(b);
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        checkOpen();
        if (Boolean.TRUE.equals(shutdowns.state(name))) {
            return 0; // emptied by the immediate shutdown
        }
        List<byte[]> raw = new ArrayList<>();
        queue.drainTo(raw, maxElements);
        tally.took(raw.size());
        RuntimeException refused = null;
        int added = 0;
        for (byte[] b : raw) {
            try {
                c.add(openTaken(b));
                added++;
            } catch (io.ipckit.cluster.ForgedPayloadException | io.ipckit.core.SerializationException e) {
                refused = refused == null ? e : refused;
            }
        }
        if (refused != null) {
            refused.addSuppressed(new IllegalStateException(added + " of the " + raw.size() + " items drained from "
                    + this + " were added to the collection; the others are dead letters"));
            throw refused;
        }
        return added;
    }

    /**
     * The value of an item taken off the queue. One that is forged or cannot be decoded here is kept on the
     * cluster queue {@link #deadLetters(String)} (best effort: lost if the cluster is unreachable) and refused.
     *
     * @throws io.ipckit.cluster.ForgedPayloadException when it was not sealed with this cluster's token for
     *         this queue
     * @throws io.ipckit.core.SerializationException when its value cannot be decoded in this JVM
     */
    private E openTaken(byte[] b) {
        try {
            return payloads.open(b);
        } catch (io.ipckit.cluster.ForgedPayloadException e) {
            throw new io.ipckit.cluster.ForgedPayloadException(e.getMessage() + "; " + keptAsDeadLetter(b), e);
        } catch (io.ipckit.core.SerializationException e) {
            throw new io.ipckit.core.SerializationException(e.getMessage() + "; " + keptAsDeadLetter(b), e);
        }
    }

    private String keptAsDeadLetter(byte[] b) {
        String dead = deadLetters(name);
        try {
            hazelcast.<byte[]>getQueue(dead).offer(b);
            return "the item taken from " + this + " is kept, as it was, on cluster queue '" + dead + "'";
        } catch (RuntimeException e) {
            return "the item taken from " + this + " is lost: it could not be kept on cluster queue '" + dead + "' (" + e + ")";
        }
    }

    /** The Hazelcast queue where items of queue {@code name} refused when taken are kept, as they were. */
    public static String deadLetters(String name) {
        return "ipckit.dead.q." + name;
    }

    // ---- size ----

    @Override
    public int size() {
        return queue.size();
    }

    /** Python's {@code qsize()}. */
    public int qsize() {
        return size();
    }

    /** Python's {@code empty()}. */
    public boolean empty() {
        return isEmpty();
    }

    /** Python's {@code full()}: a bounded queue at its bound. */
    public boolean full() {
        return maxsize > 0 && size() >= maxsize;
    }

    @Override
    public int remainingCapacity() {
        return queue.remainingCapacity();
    }

    // ---- by value: decode each item ----

    /** A snapshot of the items, oldest first; its {@code remove} removes that item from the queue. */
    @Override
    public Iterator<E> iterator() {
        List<byte[]> raw = new ArrayList<>(queue);
        Iterator<byte[]> it = raw.iterator();
        return new Iterator<>() {
            private byte[] last;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public E next() {
                last = it.next();
                return payloads.open(last);
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException("next() first");
                }
                queue.remove(last);
                last = null;
            }
        };
    }

    @Override
    public boolean remove(Object o) {
        if (o == null) {
            return false;
        }
        for (byte[] b : new ArrayList<>(queue)) {
            if (o.equals(payloads.open(b)) && queue.remove(b)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void clear() {
        queue.clear();
    }

    // ---- joinable ----

    /**
     * Marks one item taken from a joinable queue as processed (Python's {@code task_done()}); one entry
     * processor call.
     *
     * @throws IllegalStateException when called more times than there were items put
     * @throws UnsupportedOperationException when the queue is not joinable
     */
    public void taskDone() {
        requireJoinable("taskDone()");
        if (!Counters.decrementIfPositive(counters, taskKey())) {
            throw new IllegalStateException("taskDone() called more times than there were items put on " + this
                    + " (as Python's ValueError); call it once per item taken");
        }
        tally.markedDone();
    }

    /** Items put on a joinable queue and not yet marked done. */
    public long unfinishedTasks() {
        requireJoinable("unfinishedTasks()");
        return Counters.get(counters, taskKey());
    }

    /** Waits until every item put has been marked done (Python's {@code join()}). */
    public void join() throws InterruptedException {
        join(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * As {@link #join()}, waiting at most the timeout; polls the count every 20 to 200 ms.
     *
     * @return false when items were still unfinished when the timeout passed
     */
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        requireJoinable("join()");
        long deadline = System.nanoTime() + Math.min(unit.toNanos(timeout), Long.MAX_VALUE / 2);
        long pause = 20;
        long nextConsumerCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONSUMER_CHECK_MILLIS);
        while (Counters.get(counters, taskKey()) > 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            if (System.nanoTime() - nextConsumerCheck >= 0) {
                checkNoDeadConsumerHolds();
                nextConsumerCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONSUMER_CHECK_MILLIS);
            }
            Thread.sleep(Math.min(pause, left));
            pause = Math.min(200, pause * 2);
        }
        return true;
    }

    /** How often a waiting {@link #join} reads the consumers, to fail rather than wait on a dead one. */
    static final long CONSUMER_CHECK_MILLIS = 1000;

    private void checkNoDeadConsumerHolds() {
        for (io.ipckit.core.SharedQueue.Consumer c : consumers()) {
            if (!c.alive() && c.unfinished() > 0) {
                throw new io.ipckit.core.ConsumerDiedException(this + ": consumer pid " + c.pid() + " died holding "
                        + c.unfinished() + " item(s) it took and never marked done, so join() could never return."
                        + " Handle the lost item(s) (put them again, say), then call taskDone() once for each;"
                        + " consumers() lists every consumer", c.pid(), c.unfinished());
            }
        }
    }

    private void countPut() {
        countPut(1);
    }

    private void uncountPut() {
        if (joinable) {
            Counters.decrementIfPositive(counters, taskKey());
        }
    }

    private void countPut(int n) {
        if (joinable) {
            Counters.addAndGet(counters, taskKey(), n);
        }
    }

    private void uncountPut(int n) {
        if (joinable) {
            Counters.addAndGet(counters, taskKey(), -n);
        }
    }

    private String taskKey() {
        return "queue-tasks:" + name;
    }

    private void requireJoinable(String what) {
        if (!joinable) {
            throw new UnsupportedOperationException(what + " needs a joinable queue; " + this + " is not"
                    + " (create it as joinable, Python's JoinableQueue)");
        }
    }

    @Override
    public String toString() {
        return "cluster queue '" + name + "'";
    }

    /** Whether the queue is bounded and at its bound (a snapshot). */
    @Override
    public boolean isFull() {
        return maxsize > 0 && remainingCapacity() == 0;
    }

    /** None: an item no process can decode stays where it is, and the taker gets the decoding error. */
    @Override
    public java.util.List<io.ipckit.core.DeadLetter> deadLetters() {
        return java.util.List.of();
    }

    /** Python 3.13's {@code shutdown()}: {@link #shutdown(boolean) shutdown(false)}. */
    @Override
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down for every process (Python 3.13's {@code shutdown(immediate)}): one entry of the
     * cluster's IMap {@value QueueShutdowns#MAP}, which every process with the queue follows through an entry
     * listener. From then on puts throw {@link QueueShutDownException}, gets take what is left and throw it once
     * the queue is empty; with {@code immediate} the waiting items are removed (on a joinable queue they count
     * as done) and gets throw at once. Callers blocked in puts or gets wake with it: in this process at once, in
     * others when the listener's event arrives (milliseconds on loopback), at the latest after one wait slice
     * ({@value #SLICE_MILLIS} ms, each slice ending with one read of the state). A put racing the shutdown in
     * another process, before its event arrives there, may still go in (after an immediate shutdown, such an
     * item stays in the queue, which no get takes); a blocked taker woken by the shutdown abandons its cluster
     * call, which may still take an item put in that instant, and that item is lost. A queue cannot be opened
     * again; twice is harmless (immediate wins). Any thread, any process; blocks for one or two cluster calls
     * (immediate: and a drain of the waiting items).
     *
     * @throws io.ipckit.core.ChannelClosedException when this handle is closed
     * @throws io.ipckit.cluster.ClusterUnreachableException when the cluster does not answer
     */
    @Override
    public void shutdown(boolean immediate) {
        checkOpen();
        shutdowns.shutdown(name, immediate);
        if (immediate) {
            List<byte[]> dropped = new ArrayList<>();
            queue.drainTo(dropped);
            if (!dropped.isEmpty()) {
                uncountPut(dropped.size());
            }
        }
    }

    /** Whether the queue was shut down by any process (this process's view, kept by the listener). Never blocks. */
    @Override
    public boolean isShutDown() {
        return shutdowns.state(name) != null;
    }

    /**
     * The processes that took from this queue, on any host: pid, whether alive, items taken and (joinable) taken
     * and not marked done by that process. Each process writes its own counts asynchronously
     * ({@link ConsumerTally}: at most one write under way, {@value ConsumerTally#PAUSE_MILLIS} ms apart), so
     * another process's counts lag by at most that and one write; this process's are written before the read.
     * Alive: a process on this host is asked of the OS; one on another host is dead once the nodes saw its
     * client go (its connection closed, then the node's client timeout without it coming back: 10 s by default).
     * Unlike the local queue's list, not limited to 63 processes. Any thread; blocks for one or two cluster calls.
     *
     * @throws io.ipckit.core.ChannelClosedException when this handle is closed
     * @throws io.ipckit.cluster.ClusterUnreachableException when the cluster does not answer
     */
    @Override
    public java.util.List<io.ipckit.core.SharedQueue.Consumer> consumers() {
        checkOpen();
        try {
            tally.flushNow();
            IMap<String, ConsumerState> map = hazelcast.getMap(ConsumerState.MAP);
            List<ConsumerState> states = new ArrayList<>(map.values(new ConsumerState.OfQueue(name)));
            states.sort(java.util.Comparator.comparingLong((ConsumerState s) -> s.pid));
            List<io.ipckit.core.SharedQueue.Consumer> out = new ArrayList<>();
            for (ConsumerState c : states) {
                boolean alive = !c.dead && (!c.host.equals(ConsumerTally.host())
                        || ProcessHandle.of(c.pid).map(ProcessHandle::isAlive).orElse(false));
                out.add(new io.ipckit.core.SharedQueue.Consumer(c.pid, alive, c.taken,
                        joinable ? Math.max(0, c.taken - c.done) : 0));
            }
            return out;
        } catch (RuntimeException e) {
            Throwable t = Guard.translate(e, toString());
            throw t instanceof RuntimeException r ? r : e;
        }
    }

    private void checkPut() {
        if (shutdowns.state(name) != null) {
            throw shutDown("put");
        }
    }

    private io.ipckit.core.QueueShutDownException shutDown(String op) {
        boolean immediate = Boolean.TRUE.equals(shutdowns.state(name));
        return new io.ipckit.core.QueueShutDownException(this + " was shut down" + (immediate ? " immediately" : "")
                + (op.equals("put") ? "; nothing was put" : " and is empty; nothing was taken"));
    }

    /** This handle stops working in this process (its puts and takes throw {@code ChannelClosedException}); the queue goes on. Idempotent. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new io.ipckit.core.ChannelClosedException(this + " is closed in this handle; get it again from the"
                    + " manager");
        }
    }

    @Override
    public java.util.Spliterator<E> spliterator() {
        return java.util.Spliterators.spliteratorUnknownSize(iterator(), java.util.Spliterator.ORDERED
                | java.util.Spliterator.NONNULL);
    }

    /** Takes out the items {@code filter} accepts, one {@code remove(Object)} each. */
    @Override
    public boolean removeIf(java.util.function.Predicate<? super E> filter) {
        java.util.Objects.requireNonNull(filter, "filter");
        boolean removed = false;
        for (E e : toArrayList()) {
            if (filter.test(e) && remove(e)) {
                removed = true;
            }
        }
        return removed;
    }

    private java.util.List<E> toArrayList() {
        java.util.List<E> all = new java.util.ArrayList<>();
        iterator().forEachRemaining(all::add);
        return all;
    }

    /** Records the address this handle was got from, so that it can travel. Returns this. */
    ClusterQueue<E> withOrigin(ClusterAddress address) {
        this.origin = address;
        return this;
    }

    @Override
    public ByReference.Reference reference() {
        return new ClusterRef(ClusterRef.Kind.QUEUE, origin, name, maxsize, joinable);
    }

    /** Java serialization sends the reference too. */
    private Object writeReplace() {
        return reference();
    }
}
