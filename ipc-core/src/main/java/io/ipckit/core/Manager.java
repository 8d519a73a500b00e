package io.ipckit.core;

import io.ipckit.core.internal.Bootstrap;
import io.ipckit.core.internal.ClassDataSharing;
import io.ipckit.core.internal.backend.Backend;
import io.ipckit.core.internal.backend.Backends;
import io.ipckit.core.internal.backend.MapNamespace;
import io.ipckit.core.internal.local.LocalBackend;
import io.ipckit.core.internal.manager.EmbeddedServers;
import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.server.Handlers;
import io.ipckit.core.internal.manager.server.ManagerMain;
import io.ipckit.core.internal.manager.server.ManagerServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.Manager()}: a process that hosts shared objects (queues, maps, lists,
 * locks, values, objects of your own types) which any process on the host reaches through handles.
 *
 * <pre>{@code
 * try (Manager m = Manager.start()) {                  // the manager runs in its own JVM
 *     SharedQueue<String> q = m.queue("letters");
 *     SharedMap<String, Integer> counts = m.map("counts");
 *     pool.apply(worker, q);                           // handles are serializable: pass them anywhere
 * }
 * }</pre>
 *
 * <p>Objects are got-or-created by name; every handle is serializable and works in any process (it
 * connects to the manager at {@link #address()} on first use). A {@code Manager} is safe for any thread.
 * A call whose manager died fails with {@link ManagerGoneException} within about a second. A manager
 * JVM ended by SIGTERM ({@code kill PID}) removes its space as {@link #shutdown()} does (a durable one
 * keeps its directory); {@link #detach()} leaves a manager running without this process.
 *
 * <p>The objects' types are interfaces ({@link SharedQueue}, {@link SharedMap}...) implemented by the
 * manager's backend: the local one (a manager of this host, the default) or another that
 * {@link #connect(String)} picks by the address's scheme; code written against them runs on either.
 * {@link #directory()} and {@link #pid()} are of the local backend.
 */
public final class Manager implements AutoCloseable {
    static {
        Bootstrap.beforeChronicle();
    }

    private final Backend backend;

    private Manager(Backend backend) {
        this.backend = backend;
    }

    /**
     * Starts a manager in its own JVM (Python's default) and connects to it; it exits when this JVM
     * dies. Blocks until the manager serves requests.
     *
     * @throws IllegalStateException when the manager JVM fails to start
     */
    public static Manager start() {
        return builder().start();
    }

    /** Runs a manager inside this JVM (threads, no extra process) and connects to it. */
    public static Manager embedded() {
        return builder().embedded();
    }

    /**
     * Connects to a running manager (Python's {@code BaseManager(address, authkey).connect()}). Closing
     * the returned object disconnects; {@link #shutdown()} stops the manager.
     *
     * @param address as {@link #address()} returned in the manager's owner: {@code ipckit:<dir>#<token>}
     * @throws IllegalArgumentException when no manager is at the address
     * @throws SecurityException when the token is wrong or the space is not owner-only
     * @throws ManagerGoneException when the manager's process is dead
     * @throws SpaceFormatException when the manager's space is of another ipckit build's data format
     */
    public static Manager connect(String address) {
        return new Manager(Backends.connect(Objects.requireNonNull(address, "address")));
    }

    /** Options of a manager started by this process. */
    public static Builder builder() {
        return new Builder();
    }

    /** The address other processes pass to {@link #connect(String)}; it carries the access token. */
    public String address() {
        return backend.address();
    }

    /**
     * The manager's space directory. Never blocks.
     *
     * @throws UnsupportedOperationException for a backend without a local space (a cluster)
     */
    public Path directory() {
        return backend.directory();
    }

    /**
     * Pid of the process that runs the manager. Never blocks.
     *
     * @throws UnsupportedOperationException for a backend whose objects no single process serves (a cluster)
     */
    public long pid() {
        return backend.pid();
    }

    // ---- maps, lists, namespaces ------------------------------------------------------------------

    /**
     * The shared map {@code name} (Python's {@code m.dict()}), created empty when absent. Any thread.
     *
     * @throws IllegalArgumentException when the name is invalid or names an object of another type
     * @throws ManagerGoneException when the manager is gone
     */
    public <K, V> SharedMap<K, V> map(String name) {
        return backend.map(name);
    }

    /**
     * The shared namespace {@code name} (Python's {@code m.Namespace()}), created empty when absent: named
     * attributes, kept in the map of the same name. Any thread.
     *
     * @throws IllegalArgumentException when the name is invalid or names an object of another type
     * @throws ManagerGoneException when the manager is gone
     */
    public SharedNamespace namespace(String name) {
        return new MapNamespace(backend.map(name));
    }

    /**
     * The shared list {@code name} (Python's {@code m.list()}), created empty when absent. Any thread.
     *
     * @throws IllegalArgumentException when the name is invalid or names an object of another type
     * @throws ManagerGoneException when the manager is gone
     */
    public <E> SharedList<E> list(String name) {
        return backend.list(name);
    }

    // ---- queues -----------------------------------------------------------------------------------

    /**
     * The shared queue {@code name} (Python's {@code m.Queue()}), unbounded, created when absent.
     * Messages travel straight through the queue's memory-mapped file, not through the manager.
     *
     * @throws IllegalArgumentException when the name is invalid or names an object of another type
     * @throws ManagerGoneException when the manager is gone
     */
    public <E> SharedQueue<E> queue(String name) {
        return backend.queue(name, 0, false);
    }

    /**
     * The shared queue {@code name} holding at most {@code maxsize} messages ({@code maxsize <= 0}: no
     * bound, as in Python). Opening an existing queue with another bound fails.
     *
     * @throws IllegalArgumentException when the name is invalid, names an object of another type, or the
     *                                  queue exists with another bound
     */
    public <E> SharedQueue<E> queue(String name, int maxsize) {
        return backend.queue(name, maxsize, false);
    }

    /** A queue with {@code taskDone()} and {@code join()} (Python's {@code m.JoinableQueue()}). */
    public <E> SharedQueue<E> joinableQueue(String name) {
        return backend.queue(name, 0, true);
    }

    /** A bounded joinable queue. */
    public <E> SharedQueue<E> joinableQueue(String name, int maxsize) {
        return backend.queue(name, maxsize, true);
    }

    // ---- synchronization --------------------------------------------------------------------------

    /** The shared non-reentrant lock {@code name} (Python's {@code m.Lock()}). */
    public SharedLock lock(String name) {
        return backend.lock(name, false);
    }

    /** The shared reentrant lock {@code name} (Python's {@code m.RLock()}). */
    public SharedLock rlock(String name) {
        return backend.lock(name, true);
    }

    /** The shared semaphore {@code name} with {@code permits} initial permits (Python's {@code m.Semaphore(n)}). */
    public SharedSemaphore semaphore(String name, int permits) {
        return backend.semaphore(name, permits, false);
    }

    /** A semaphore whose releases may not exceed its initial permits (Python's {@code m.BoundedSemaphore(n)}). */
    public SharedSemaphore boundedSemaphore(String name, int permits) {
        return backend.semaphore(name, permits, true);
    }

    /** The shared condition {@code name}, bound to the shared reentrant lock {@code lockName}. */
    public SharedCondition condition(String name, String lockName) {
        return backend.condition(name, lockName);
    }

    /** The shared event {@code name} (Python's {@code m.Event()}), initially clear. */
    public SharedEvent event(String name) {
        return backend.event(name);
    }

    /** The shared barrier {@code name} for {@code parties} parties (Python's {@code m.Barrier(n)}). */
    public SharedBarrier barrier(String name, int parties) {
        return backend.barrier(name, parties, null, null);
    }

    /**
     * As {@link #barrier(String, int)}, with Python's {@code m.Barrier(n, timeout=t)}: this handle's
     * {@link SharedBarrier#await()} waits at most {@code timeout}, then breaks the barrier and throws
     * {@link java.util.concurrent.BrokenBarrierException}, as Python's {@code wait()} does. The default
     * belongs to this handle (and its copies), not to the barrier.
     *
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public SharedBarrier barrier(String name, int parties, java.time.Duration timeout) {
        return backend.barrier(name, parties, null, timeout);
    }

    /**
     * As {@link #barrier(String, int, java.time.Duration)}, with Python's {@code m.Barrier(n, action,
     * timeout)}: {@code action} runs once per generation, when the last party arrives and before any
     * passes. As in Python's managed barrier, it runs in the manager's process (so it must be a serializable
     * lambda or object whose class is on the manager's classpath), on the manager's one dispatcher thread
     * (keep it short: the manager serves nothing else meanwhile), and sees the manager's state, not the
     * caller's. It may not call objects of its own manager (the manager runs one thing at a time): such a
     * call throws {@link IllegalStateException} at once, which breaks the barrier. When the action throws, the barrier breaks: the party that
     * tripped it gets a {@link java.util.concurrent.BrokenBarrierException} caused by the action's
     * exception, the others a plain one. The barrier's first creator sets its action; opening it again with
     * an action keeps the first one, and opening it without one when it has one (or the other way round)
     * is refused with {@link IllegalArgumentException}. {@code timeout} as there; null for none. On a
     * cluster ({@code ipckit-cluster://}), which has no manager process, the action runs in the process of
     * the party that trips the barrier instead (as {@code CyclicBarrier}'s does), and the other parties wait
     * on while it runs, past their timeouts.
     *
     * @throws SerializationException when the action cannot be sent to the manager
     */
    public SharedBarrier barrier(String name, int parties, SerializableRunnable action, java.time.Duration timeout) {
        return backend.barrier(name, parties, Objects.requireNonNull(action, "action"), timeout);
    }

    // ---- values -----------------------------------------------------------------------------------

    /** The shared long {@code name}, 0 when created; its atomic operations work on mapped memory. */
    public SharedLong sharedLong(String name) {
        return backend.sharedLong(name);
    }

    /** The shared value {@code name}, {@code initial} when created (Python's {@code m.Value}). */
    public <T> SharedValue<T> value(String name, T initial) {
        return backend.value(name, initial);
    }

    // ---- objects of your own types ----------------------------------------------------------------

    /**
     * Hosts an object of your own type in the manager under {@code name} (Python's
     * {@code BaseManager.register}); reach it with {@link #proxy(String, Class)} from any process.
     *
     * <pre>{@code
     * m.register("hits", Counter.class, () -> new AtomicCounter());   // Counter: your interface
     * Counter c = m.proxy("hits", Counter.class);                       // runs in the manager
     * }</pre>
     *
     * <p>Get-or-create: when the name is new, {@code factory} travels to the manager (it must be a
     * serializable lambda or object) and runs there, once; registering the name again with the same
     * interface does nothing (the factory is not run). The object lives in the manager's JVM until the
     * manager stops, so its class must be on the manager's classpath (a manager from {@link #start()} gets
     * this JVM's classpath).
     *
     * <p><b>Limits.</b> Every method call runs on the manager's single dispatcher thread: calls on one object
     * are serialized (no locking needed in it), and a long-running method blocks the whole manager (every
     * other object and client) until it returns, so keep methods short and non-blocking. A hosted object
     * (or its factory) must not call objects of its own manager: its proxies refuse with
     * {@link IllegalStateException}, and other handles would wait for the dispatcher forever.
     *
     * <p>Any thread of any process; blocks until the manager has run the factory.
     *
     * @throws IllegalArgumentException when {@code type} is not an interface, the name is invalid, names an
     *                                  object of another kind, or is registered with another interface; when
     *                                  the factory returns null or an object that does not implement
     *                                  {@code type} (the name stays free)
     * @throws SerializationException   when the factory cannot be sent to the manager
     * @throws RuntimeException         what the factory threw in the manager, with the remote stack trace
     *                                  (checked exceptions wrapped in {@link RemoteException}); the name stays free
     * @throws ManagerGoneException     when the manager is gone
     */
    public <T> void register(String name, Class<T> type, SerializableSupplier<? extends T> factory) {
        backend.register(name, type, factory);
    }

    /**
     * A proxy implementing {@code type} whose calls run on the object {@code name} in the manager. Arguments
     * and results travel by value through the codec (a result is a copy, not a live view). An exception
     * thrown there is re-thrown here with its type, message and remote stack trace (this call site is
     * attached as a suppressed exception); checked exceptions the method declares are re-thrown as they
     * are, undeclared ones wrapped in {@link RemoteException}. Default methods run in the manager too;
     * {@code toString}, {@code equals} and {@code hashCode} are local (two proxies of one object are equal).
     *
     * <p>The proxy is serializable: pass it to another process (a pool task, a shared queue) and call it
     * there. It is safe for any thread; each call blocks until the manager answers (see
     * {@link #register} for the single-thread limit). A call whose argument or result cannot be encoded
     * fails with a {@link SerializationException} naming the method and the class; the object stays usable.
     * Calls fail with {@link ManagerGoneException} once the manager is gone.
     *
     * @throws IllegalArgumentException when {@code type} is not an interface, no object {@code name} is
     *                                  registered, or the object does not implement {@code type}
     * @throws ManagerGoneException     when the manager is gone
     */
    public <T> T proxy(String name, Class<T> type) {
        return backend.proxy(name, type);
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    /**
     * Stops the manager (whoever started it) and removes its space, unless the space is durable
     * ({@link Builder#directory(Path)}); its objects are gone. Blocks up to ten seconds. Idempotent.
     */
    public void shutdown() {
        backend.shutdown();
    }

    /**
     * Shuts the manager down when this process started it ({@link #start()}, {@link #embedded()}), else
     * disconnects from it. Idempotent. To leave a manager this process started running, {@link #detach()}
     * instead.
     */
    @Override
    public void close() {
        backend.close();
    }

    /**
     * Disconnects this process from the manager and leaves the manager running, with its objects and its
     * {@link #address()}: another process (or this one, later) reaches it with {@link #connect(String)},
     * and {@code Manager.connect(address).shutdown()} stops it. For a manager started with
     * {@link Builder#server(boolean) server(true)}, the way to leave it serving after this process exits
     * (its {@link #close()} stops it). A manager started without {@code server(true)} still exits when this
     * JVM exits; one this process {@link #connect(String) connected} to is disconnected, as by
     * {@code close()}. After {@code detach()} this object and handles got from it fail as after
     * {@code close()}; handles in other processes go on. Any thread; idempotent (a no-op once closed,
     * detached or shut down); blocks for the goodbye to the manager (milliseconds).
     *
     * @throws IllegalStateException for an {@link #embedded()} manager, which runs in this JVM's threads
     *     and cannot outlive this object: {@code close()} or {@code shutdown()} it, or start one in its own
     *     JVM with {@code Manager.builder().server(true).start()}
     */
    public void detach() {
        backend.detach();
    }

    @Override
    public String toString() {
        return backend.toString();
    }

    /** Options of a manager this process starts. Not thread-safe. */
    public static final class Builder {
        private Path parent;
        private Path directory;
        private boolean server;
        private boolean classDataSharing = true;
        private final List<String> jvmOptions = new ArrayList<>();
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Where the manager's space directory is created (default {@link Space#defaultParent()}). */
        public Builder parent(Path dir) {
            this.parent = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * A durable space: the manager's space is exactly {@code dir} (put it on a disk to survive more than
         * the manager's process), and no manager removes it: not {@link Manager#shutdown()}, not the death
         * of the owner. Delete the directory yourself when done with it.
         *
         * <p>When {@code dir} does not exist or is empty, a new space is created there. When it holds the
         * space of a previous manager that is no longer running (killed, crashed, shut down), the new
         * manager takes it over: its shared queues are recovered with every message put and not yet taken,
         * in their order, and its address (the access token) stays the same, so {@link #connect(String)}
         * with the old address reaches the new manager. Its maps, lists, values, events and namespaces are
         * recovered too: a durable manager journals every change to them in the space (one encode and one
         * append per change), and the new manager replays the journal. What dies with the old manager's
         * process is not: lock and permit holders, conditions, barriers, shared longs and objects of your own
         * types start afresh. Durability is the file system's: the files are memory-mapped and not forced to
         * disk, so they survive the crash of any process but not of the machine.
         *
         * <p>The directory is checked when the manager starts ({@link #start()}, {@link #embedded()}). A
         * directory written by an ipckit build of another data format (an upgrade that changed the form of
         * what ipckit writes) is refused with a {@link SpaceFormatException} and left as it was.
         *
         * @throws NullPointerException when {@code dir} is null
         */
        public Builder directory(Path dir) {
            this.directory = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
            return this;
        }

        /**
         * A server keeps running when the process that started it exits, until {@link Manager#shutdown()}
         * (default: it exits with its starter). Only for {@link #start()}. The starter's {@link Manager#close()}
         * still stops it: {@link Manager#detach()} leaves it running. A server holds none of its starter's
         * streams: its standard output is discarded and its error output, once it serves, goes to
         * {@code manager.log} in its space (a failure to start is reported by {@code start()}), so a pipe from
         * the starter ({@code java StartManager | grep ipckit:}) ends when the starter exits.
         */
        public Builder server(boolean value) {
            this.server = value;
            return this;
        }

        /** JVM options of the manager process (heap size...). Only for {@link #start()}. */
        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /**
         * Whether the manager JVM uses an application class-data sharing archive (default true): the
         * first manager on a classpath writes one to {@code ~/.cache/ipckit/cds} when it exits, later
         * managers start with about half the CPU. Only possible when the classpath is made of jars; ignored
         * otherwise. A {@link #server(boolean) server} only uses an archive another manager wrote. Only for
         * {@link #start()}.
         */
        public Builder classDataSharing(boolean enabled) {
            this.classDataSharing = enabled;
            return this;
        }

        /** How long {@link #start()} waits for the manager JVM to serve (default 60 s). */
        public Builder startTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Opens or creates the space of one manager. Reads the builder and never writes it, so a builder
         * used twice (or by two threads) makes two managers alike.
         */
        private Prepared newSpace(boolean deleteOnClose) {
            if (directory == null) {
                Space.Builder b = Space.builder().deleteOnClose(deleteOnClose);
                if (parent != null) {
                    b.parent(parent);
                }
                return new Prepared(b.create(), false, ManagerLayout.newToken());
            }
            if (parent != null) {
                throw new IllegalStateException("set either directory(" + directory + ") for a durable space or parent("
                        + parent + ") for a fresh one, not both");
            }
            if (!Files.isDirectory(directory) || isEmpty(directory)) {
                return new Prepared(Space.builder().directory(directory).deleteOnClose(false).create(), true,
                        ManagerLayout.newToken());
            }
            Space space = Space.builder().directory(directory).deleteOnClose(false).open();
            try {
                String recoveredToken = null;
                ManagerLayout.Info previous = ManagerLayout.read(directory);
                if (previous != null) {
                    if (previous.pid != ManagerLayout.STOPPED
                            && ProcessHandle.of(previous.pid).map(ProcessHandle::isAlive).orElse(false)) {
                        throw new IllegalStateException("a manager (pid " + previous.pid + ") already serves "
                                + directory + "; connect to it with Manager.connect(address), or shut it down first");
                    }
                    recoveredToken = previous.token;
                    Files.delete(directory.resolve(ManagerLayout.MANAGER_FILE)); // the dead manager's
                }
                return new Prepared(space, true, recoveredToken != null ? recoveredToken : ManagerLayout.newToken());
            } catch (IOException | RuntimeException e) {
                space.close();
                if (e instanceof RuntimeException) {
                    throw (RuntimeException) e;
                }
                throw new UncheckedIOException("cannot take over the space " + directory + ": " + e, (IOException) e);
            }
        }

        private static boolean isEmpty(Path dir) {
            try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
                return entries.findAny().isEmpty();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dir, e);
            }
        }

        /** The space of one manager being built, whether it is durable, and the manager's access token. */
        private static final class Prepared {
            final Space space;
            final boolean durable;
            final String token;

            Prepared(Space space, boolean durable, String token) {
                this.space = space;
                this.durable = durable;
                this.token = token;
            }
        }

        /**
         * Starts the manager in its own JVM and waits until it serves. Any thread; blocks up to the start
         * timeout.
         *
         * @throws IllegalStateException when it does not start within the start timeout, or exits; when
         *                               {@link #directory(Path)} and {@link #parent(Path)} are both set; when
         *                               a live manager already serves the durable directory
         * @throws IllegalArgumentException when the durable directory is neither empty nor an ipckit space
         * @throws SecurityException when the durable directory is not owner-only or not yours
         * @throws SpaceFormatException when the durable directory was written by a build of another data format
         */
        public Manager start() {
            Prepared prepared = newSpace(false);
            Path dir = prepared.space.directory();
            prepared.space.close();
            String token = prepared.token;
            boolean durable = prepared.durable;
            ClassDataSharing cds = classDataSharing
                    ? ClassDataSharing.forClasspath(ManagerMain.class.getName(), System.getProperty("java.class.path"))
                    : null;
            List<String> options = new ArrayList<>(ManagerMain.DEFAULT_JVM_OPTIONS);
            if (cds != null) {
                options.addAll(cds.options(!server)); // a server may outlive this JVM: its dump would never be published
            }
            options.addAll(jvmOptions);
            ManagerMain.Launched started;
            try {
                started = ManagerMain.launch(dir, token, server, durable, options);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the manager JVM: " + e, e);
            }
            Process p = started.process();
            String address = ManagerLayout.address(dir, token);
            try {
                ManagerMain.awaitReady(started, dir, startTimeout);
                ManagerClient c = ManagerClient.connect(address);
                List<String> launched = List.copyOf(options);
                return new Manager(new LocalBackend(c, p, null, null, true, durable,
                        cds == null ? null : status -> cds.childExited(launched, status == 0)));
            } catch (RuntimeException e) {
                p.destroyForcibly();
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                    if (!durable) {
                        io.ipckit.core.internal.Files2.deleteRecursively(dir);
                    }
                } catch (InterruptedException | IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        /**
         * Runs the manager in this JVM and connects to it. Any thread.
         *
         * @throws IllegalStateException when server(true) or jvmOptions(...) are set; when
         *                               {@link #directory(Path)} and {@link #parent(Path)} are both set; when
         *                               a live manager already serves the durable directory
         * @throws IllegalArgumentException when the durable directory is neither empty nor an ipckit space
         * @throws SecurityException when the durable directory is not owner-only or not yours
         * @throws SpaceFormatException when the durable directory was written by a build of another data format
         */
        public Manager embedded() {
            if (server || !jvmOptions.isEmpty()) {
                throw new IllegalStateException("server(true) and jvmOptions(...) apply to Manager.start(), "
                        + "not to an embedded manager");
            }
            Prepared prepared = newSpace(true);
            Space space = prepared.space;
            String token = prepared.token;
            boolean durable = prepared.durable;
            ManagerServer s = new ManagerServer(space, token, false, durable, Handlers.all());
            try {
                EmbeddedServers.add(s);
                s.start();
                ManagerClient c = ManagerClient.connect(ManagerLayout.address(space.directory(), token));
                return new Manager(new LocalBackend(c, null, s, space, true, durable, null));
            } catch (IOException | RuntimeException e) {
                EmbeddedServers.remove(s);
                s.close();
                space.close();
                throw e instanceof RuntimeException ? (RuntimeException) e
                        : new UncheckedIOException((IOException) e);
            }
        }
    }
}
