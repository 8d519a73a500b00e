package io.ipckit.core.internal.manager.server;

import io.ipckit.core.Channel;
import io.ipckit.core.ChannelClosedException;
import io.ipckit.core.SerializationException;
import io.ipckit.core.Space;
import io.ipckit.core.internal.Agent;
import io.ipckit.core.internal.AgentRunner;
import io.ipckit.core.internal.Backoff;
import io.ipckit.core.internal.channel.ChannelAccess;
import io.ipckit.core.internal.jmx.Jmx;
import io.ipckit.core.internal.jmx.ManagerMetrics;
import io.ipckit.core.internal.Closer;
import io.ipckit.core.internal.Names;
import io.ipckit.core.internal.manager.EmbeddedServers;
import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.ManagerProtocol;
import io.ipckit.core.internal.manager.protocol.Protocol;
import io.ipckit.core.internal.manager.protocol.Protocol.Reply;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The manager side of the protocol ({@link Protocol}): one dispatcher thread takes requests from the
 * request channel, keeps the registry of names, and routes each request to the {@link ObjectHandler}
 * of its kind. It also watches clients (a dead client's holds are released within
 * {@link #LIVENESS_MILLIS} ms) and ticks handlers so timed waits expire.
 *
 * <p>The dispatcher is an {@link Agent} run by an {@link AgentRunner}: each duty cycle takes at most one
 * request, dispatches it, ticks the handlers every {@value #TICK_MILLIS} ms and checks the clients every
 * {@link #LIVENESS_MILLIS} ms; between cycles without a request it idles with a {@link Backoff} whose parks
 * last at most a tick. What the cycle throws ends the dispatcher (printed to standard error, except a
 * closed request channel: the space is closing), as does a client's shutdown request or {@link #close()}.
 *
 * <p>Server side. Its dispatcher thread ({@code ipckit-manager-dispatch}) runs every handler; the
 * other methods are for the thread that owns the manager (start, close) and any thread (isRunning,
 * awaitStop).
 */
public final class ManagerServer implements AutoCloseable, EmbeddedServers.Server {
    /** How often client processes are checked for life. */
    public static final long LIVENESS_MILLIS = 200;
    private static final long TICK_MILLIS = 5;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    private static final long LIVENESS_NANOS = TimeUnit.MILLISECONDS.toNanos(LIVENESS_MILLIS);

    private final Space space;
    private final String token;
    private final boolean serverMode;
    private final Channel<Request> requests;
    /** The handler of each kind, by kind code (none for {@link Kind#MANAGER}). */
    private final ObjectHandler[] handlers = new ObjectHandler[Kind.values().length];
    private final List<ObjectHandler> handlerList;
    /** The registry: the kind of every object, by name. */
    private final Map<String, Kind> kinds = new HashMap<>();
    /** The one reply this thread encodes at a time (the reply channels encode on {@code put}). */
    private final Reply reply = new Reply();
    private final Map<Long, Session> sessions = new LinkedHashMap<>();
    /** The session of the last request, or null: most requests come from the client of the one before. */
    private Session lastSession;
    private final Context context = new Context();
    private final AgentRunner runner;
    private final Thread dispatcher;
    private final boolean durable;
    /** A durable space's journal of the maps, lists, values and events; null otherwise. */
    private final Journal journal;
    /** Open sessions, for the MBean (written by the dispatcher, read by any thread). */
    private volatile int clients;
    /** The manager's MBean (JMX is opt-in); a no-op registration otherwise. */
    private volatile Jmx.Registration mbean = Jmx.Registration.NONE;
    private volatile Runnable onShutdownRequest = () -> { };

    /**
     * @param durable the space outlives this manager (a later manager may serve it): close then marks the
     *     manager file stopped; a space removed with its manager is left as it is, which on a full file
     *     system is also all that can be done
     */
    public ManagerServer(Space space, String token, boolean serverMode, boolean durable,
                         List<ObjectHandler> handlerList) {
        this.space = space;
        this.token = token;
        this.serverMode = serverMode;
        this.durable = durable;
        this.handlerList = List.copyOf(handlerList);
        for (ObjectHandler h : handlerList) {
            handlers[h.kind().code()] = h;
        }
        recover();
        this.journal = durable ? new Journal(space, this::replay, this::image) : null;
        this.requests = space.channel(Protocol.REQUESTS);
        this.runner = new AgentRunner(Backoff.parkingAtMost(TICK_NANOS), ManagerServer::dispatcherFailed,
                new Dispatcher());
        this.dispatcher = new Thread(runner, "ipckit-manager-dispatch");
        this.dispatcher.setDaemon(true);
    }

    /** Registers again the objects a previous manager of this space left on disk (its queues). */
    private void recover() {
        for (ObjectHandler h : handlerList) {
            try {
                for (String name : h.recover(context)) {
                    kinds.put(name, h.kind());
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot recover the " + h.kind().label() + " objects of the space "
                        + space.directory() + ": " + e, e);
            }
        }
    }

    /** Starts serving and publishes the manager file, so clients can connect once this returns. */
    public ManagerServer start() throws IOException {
        mbean = ManagerMetrics.register(space.directory().toString(), ChannelAccess.get().state(requests),
                () -> clients);
        dispatcher.start();
        ManagerLayout.write(space.directory(), ProcessHandle.current().pid(), token, serverMode);
        return this;
    }

    /** What to do when a client asks the manager to shut down (the dispatcher stops by itself). */
    public void onShutdownRequest(Runnable action) {
        this.onShutdownRequest = action;
    }

    @Override
    public Path directory() {
        return space.directory();
    }

    public String token() {
        return token;
    }

    @Override
    public boolean isRunning() {
        return runner.isRunning() && dispatcher.isAlive();
    }

    /** Waits until the dispatcher has stopped. Any thread. */
    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return runner.awaitClosed(timeout, unit);
    }

    /** The dispatcher's duty cycle: one request at most, then the ticks and the liveness checks when due. */
    private final class Dispatcher implements Agent {
        private long nextTick = System.nanoTime();
        private long nextLiveness = nextTick;

        @Override
        public int doWork() {
            Request r;
            try {
                r = requests.poll();
            } catch (SerializationException e) {
                // kept in the dead letters by the channel (requests with undecodable arguments still
                // arrive, see Protocol.RequestSerializer: this is a corrupt request); look again at once
                return 1;
            }
            long now = System.nanoTime();
            if (r != null) {
                dispatch(r);
            }
            if (now - nextTick >= 0) {
                nextTick = now + TICK_NANOS;
                for (ObjectHandler h : handlerList) {
                    h.onTick(now, context);
                }
            }
            if (now - nextLiveness >= 0) {
                nextLiveness = now + LIVENESS_NANOS;
                checkClients();
            }
            return r != null ? 1 : 0;
        }

        @Override
        public String roleName() {
            return "ipckit-manager-dispatch";
        }
    }

    /** The dispatcher stops on whatever its cycle throws: reported unless the space is closing. */
    private static boolean dispatcherFailed(Throwable t) {
        if (!(t instanceof ChannelClosedException)) {
            System.err.println("ipckit manager: dispatcher failed: " + t);
            t.printStackTrace();
        }
        return false;
    }

    private void dispatch(Request r) {
        Session s = session(r.clientId);
        if (r.kind == Kind.MANAGER.code() && r.op == ManagerProtocol.HELLO.code()) {
            hello(r);
            return;
        }
        if (s == null) {
            refuseUnknown(r);
            return;
        }
        if (r.undecodableArgs != null) {
            send(s, r.callId, null, new SerializationException("the manager of " + space.directory()
                    + " cannot decode the arguments of " + r + ": " + r.undecodableArgs.getMessage()
                    + "; the manager JVM needs every class you pass to it: start it from a JVM whose classpath"
                    + " has them (Manager.start() gives it yours) or use Manager.embedded()", r.undecodableArgs));
            return;
        }
        Object value;
        try {
            Kind kind = Kind.of(r.kind);
            r.operation = kind.operation(r.op, r.name);
            if (kind == Kind.MANAGER) {
                value = manage(s, r, (ManagerProtocol) r.operation);
            } else if (r.op == Protocol.CREATE) {
                value = create(kind, r);
            } else {
                value = route(s, kind, r);
            }
        } catch (Throwable t) {
            send(s, r.callId, null, t);
            return;
        }
        if (journal != null) {
            journal(r);
        }
        if (value != ObjectHandler.PENDING) {
            send(s, r.callId, value, null);
        }
    }

    /** The kinds whose state lives in this process's memory and that a durable space keeps in its journal. */
    private static final java.util.Set<Kind> JOURNALED = java.util.EnumSet.of(Kind.MAP, Kind.LIST, Kind.VALUE, Kind.EVENT);

    /** Appends what a served request changed in a journaled object. */
    private void journal(Request r) {
        Kind kind = Kind.of(r.kind);
        if (!JOURNALED.contains(kind)) {
            return;
        }
        Request entry = r.op == Protocol.CREATE ? r : handlers[kind.code()].journalEntry(r);
        if (entry != null) {
            journal.record(entry, this::image);
        }
    }

    /** Applies a journaled request, as when it was served (its reply goes nowhere). */
    private void replay(Request r) {
        try {
            Kind kind = Kind.of(r.kind);
            r.operation = kind.operation(r.op, r.name);
            if (r.op == Protocol.CREATE) {
                create(kind, r);
            } else {
                route(null, kind, r);
            }
        } catch (Throwable t) {
            System.err.println("ipckit manager: a journaled " + r + " of " + space.directory()
                    + " could not be applied again, and is skipped: " + t);
        }
    }

    /** What rebuilds every journaled object as it is now: its CREATE, then its handler's image. */
    private List<Request> image() {
        List<Request> out = new ArrayList<>();
        for (Map.Entry<String, Kind> e : kinds.entrySet()) {
            if (JOURNALED.contains(e.getValue())) {
                out.add(new Request(0, 0, createOf(e.getValue()), e.getKey(), new Object[0]));
                out.addAll(handlers[e.getValue().code()].image(e.getKey()));
            }
        }
        return out;
    }

    private static io.ipckit.core.internal.manager.protocol.Operation createOf(Kind kind) {
        return kind.operation(Protocol.CREATE, "");
    }

    /** The session of {@code clientId}, or null; looks the map up (boxing the id) only on a change of client. */
    private Session session(long clientId) {
        Session s = lastSession;
        if (s != null && s.clientId() == clientId) {
            return s;
        }
        s = sessions.get(clientId);
        lastSession = s;
        return s;
    }

    private void hello(Request r) {
        long pid = ((Number) r.arg(1)).longValue();
        Channel<Reply> replies;
        try {
            replies = space.channel(Protocol.REPLY_PREFIX + Long.toHexString(r.clientId));
        } catch (RuntimeException e) {
            return;
        }
        if (!token.equals(r.arg(0))) {
            replies.offer(new Reply(r.callId, null, new SecurityException("wrong access token for the manager of "
                    + space.directory() + "; use the address Manager.address() returns")));
            replies.close();
            return;
        }
        Session s = new Session(r.clientId, pid, replies);
        sessions.put(r.clientId, s);
        clients = sessions.size();
        lastSession = s;
        send(s, r.callId, ProcessHandle.current().pid(), null);
    }

    private void refuseUnknown(Request r) {
        try (Channel<Reply> replies = space.channel(Protocol.REPLY_PREFIX + Long.toHexString(r.clientId))) {
            replies.offer(new Reply(r.callId, null, new IllegalStateException("client "
                    + Long.toHexString(r.clientId) + " is not connected to the manager of " + space.directory()
                    + " (it said goodbye or was found dead); connect again")));
        } catch (RuntimeException ignored) {
            // nothing more to do for a client we do not know
        }
    }

    private Object manage(Session s, Request r, ManagerProtocol op) {
        switch (op) {
            case PING:
                return ProcessHandle.current().pid();
            case DESCRIBE:
                return describe();
            case BYE:
                send(s, r.callId, null, null);
                drop(s);
                return ObjectHandler.PENDING;
            case SHUTDOWN:
                runner.stop(0, TimeUnit.MILLISECONDS); // on the dispatcher: ends after this cycle
                send(s, r.callId, null, null);
                Thread t = new Thread(onShutdownRequest, "ipckit-manager-shutdown");
                t.setDaemon(false);
                t.start();
                return ObjectHandler.PENDING;
            default: // HELLO is served before the session check
                throw new UnsupportedOperationException("manager operation " + op.label() + " is not served here");
        }
    }

    private Object create(Kind kind, Request r) throws Exception {
        String name = Names.validate(kind.label(), r.name);
        ObjectHandler h = handlers[kind.code()];
        if (h == null) {
            throw new IllegalArgumentException("the manager has no object kind '" + kind.label() + "'");
        }
        Object[] args = r.args;
        Kind existing = kinds.get(name);
        if (existing == null) {
            Object result = h.create(name, args, context);
            kinds.put(name, kind);
            return result;
        }
        if (existing != kind) {
            throw new IllegalArgumentException("'" + name + "' is a " + existing.label() + " in the manager of "
                    + space.directory() + ", not a " + kind.label() + "; use manager." + existing.label() + "(\""
                    + name + "\") or another name");
        }
        return h.reopen(name, args, context);
    }

    private List<String[]> describe() {
        List<String[]> out = new ArrayList<>();
        for (Map.Entry<String, Kind> e : new java.util.TreeMap<>(kinds).entrySet()) {
            String state;
            try {
                state = handlers[e.getValue().code()].describe(e.getKey());
            } catch (RuntimeException ex) {
                state = "? (" + ex + ")";
            }
            out.add(new String[] {e.getKey(), e.getValue().label(), state});
        }
        return out;
    }

    private Object route(Session s, Kind kind, Request r) throws Exception {
        Kind existing = kinds.get(r.name);
        if (existing == null) {
            throw new IllegalArgumentException("no object '" + r.name + "' in the manager of " + space.directory());
        }
        if (existing != kind) {
            throw new IllegalArgumentException("'" + r.name + "' is a " + existing.label() + ", not a " + kind.label());
        }
        return handlers[kind.code()].handle(s, r, context);
    }

    private void checkClients() {
        List<Session> dead = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (!s.processAlive()) {
                dead.add(s);
            }
        }
        dead.forEach(this::drop);
    }

    private void drop(Session s) {
        sessions.remove(s.clientId());
        clients = sessions.size();
        lastSession = null;
        for (ObjectHandler h : handlerList) {
            try {
                h.onClientGone(s, context);
            } catch (RuntimeException e) {
                System.err.println("ipckit manager: releasing " + s + " in " + h.kind().label() + " failed: " + e);
            }
        }
        s.replies().close();
        if (!s.processAlive()) {
            try {
                io.ipckit.core.internal.Files2.deleteRecursively(space.directory().resolve("channels")
                        .resolve(Protocol.REPLY_PREFIX + Long.toHexString(s.clientId())));
            } catch (IOException | RuntimeException ignored) {
                // a leftover reply channel is removed with the space
            }
        }
    }

    /**
     * Sends one reply, encoded from this thread's single {@link Reply} (no object per reply). When the value
     * cannot be encoded, the caller gets that failure instead.
     */
    private void send(Session s, long callId, Object value, Throwable error) {
        if (callId == Protocol.ONE_WAY) {
            if (error != null) {
                System.err.println("ipckit manager of " + space.directory() + ": a one-way request of " + s
                        + " failed: " + error);
            }
            return;
        }
        Reply r = reply;
        r.callId = callId;
        r.value = value;
        r.error = error;
        try {
            s.replies().put(r);
        } catch (SerializationException e) {
            r.value = null;
            r.error = new SerializationException("the manager could not send the result back: " + e.getMessage());
            try {
                s.replies().put(r);
            } catch (InterruptedException | RuntimeException ignored) {
                Thread.currentThread().interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ChannelClosedException ignored) {
            // client gone
        } finally {
            r.value = null;
            r.error = null;
        }
    }

    /** Stops the dispatcher and closes the channels it holds; the space is closed by its owner. */
    @Override
    public void close() {
        runner.stop(5, TimeUnit.SECONDS);
        Closer closer = new Closer();
        closer.close(mbean);
        if (journal != null) {
            closer.close(journal);
        }
        for (Session s : sessions.values()) {
            closer.close(s.replies());
        }
        sessions.clear();
        lastSession = null;
        closer.close(requests);
        for (ObjectHandler h : handlerList) {
            if (h instanceof AutoCloseable) {
                closer.close((AutoCloseable) h);
            }
        }
        // A durable space outlives its manager: a later manager must not see this one as still serving
        // (its pid may be alive: an embedded manager), and takes the token over from the file.
        closer.run("marking the manager file stopped", () -> {
            if (!durable) {
                return;
            }
            try {
                ManagerLayout.Info info = ManagerLayout.read(space.directory());
                if (info != null && info.pid == ProcessHandle.current().pid() && info.token.equals(token)) {
                    ManagerLayout.write(space.directory(), ManagerLayout.STOPPED, token, serverMode);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        closer.rethrow();
    }

    private final class Context implements ServerContext {
        @Override
        public void reply(Session client, long callId, Object value) {
            if (sessions.containsKey(client.clientId())) {
                send(client, callId, value, null);
            }
        }

        @Override
        public void fail(Session client, long callId, Throwable error) {
            if (sessions.containsKey(client.clientId())) {
                send(client, callId, null, error);
            }
        }

        @Override
        public ObjectHandler handler(Kind kind) {
            return handlers[kind.code()];
        }

        @Override
        public Kind kindOf(String name) {
            return kinds.get(name);
        }

        @Override
        public Path directory() {
            return space.directory();
        }
    }
}
