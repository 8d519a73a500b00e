package io.ipckit.core.internal.manager.protocol;

import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.server.ManagerServer;
import io.ipckit.core.internal.manager.server.ObjectHandler;

/**
 * The manager's request/reply protocol, described here and nowhere else.
 *
 * <pre>
 *  client JVM                                   manager JVM
 *  ManagerClient --Request--> [mgr.requests] --> ManagerServer (one dispatcher thread)
 *       ^                                              | routes by kind to an ObjectHandler
 *       +----Reply---- [mgr.reply.&lt;clientId&gt;] &lt;------+
 * </pre>
 *
 * Both are channels of the manager's space, so each request is taken by the manager exactly once and each
 * reply by its client. A client first sends {@link #HELLO} with the access token and its pid; requests of
 * clients that did not say hello are refused. Blocking operations (a lock, a barrier) never block the
 * dispatcher: their handler answers later, or when their deadline passes; clients wait in slices of at
 * most {@link #MAX_WAIT_SLICE_MILLIS} so a dead manager is noticed.
 */
public final class Protocol {
    /** Channel of requests to the manager. */
    public static final String REQUESTS = "mgr.requests";
    /** Prefix of each client's reply channel. */
    public static final String REPLY_PREFIX = "mgr.reply.";

    /** Kind of the manager's own operations (hello, bye, shutdown, lookups). */
    public static final String MANAGER = "manager";
    public static final String HELLO = "hello";
    public static final String BYE = "bye";
    public static final String SHUTDOWN = "shutdown";
    public static final String PING = "ping";
    /**
     * Lists every object, read-only: replies a {@code List<String[]>} of {name, kind, state} sorted by
     * name, the state being the handler's {@link ObjectHandler#describe} (what {@code ipckit inspect} shows).
     */
    public static final String DESCRIBE = "describe";
    /** Get-or-create an object: args {kind, creation arguments...}; replies the kind's creation result. */
    public static final String CREATE = "create";

    /** Longest time a server-side wait lasts before the client asks again. */
    public static final long MAX_WAIT_SLICE_MILLIS = 1_000;

    private Protocol() {
    }

    /**
     * One call from a client to an object hosted by the manager. Encoded by {@link RequestSerializer}:
     * the header (ids, kind, name, op) before the arguments, so a request whose arguments the manager
     * cannot decode (a class missing in its JVM) still reaches the dispatcher, which replies with the
     * failure instead of leaving the caller waiting.
     */
    public static final class Request {
        public long clientId;
        public long callId;
        public String kind;
        public String name;
        public String op;
        public Object[] args;
        /** Set on the manager side when {@link #args} could not be decoded; then {@code args} is null. */
        public transient RuntimeException undecodableArgs;

        public Request() {
        }

        public Request(long clientId, long callId, String kind, String name, String op, Object[] args) {
            this.clientId = clientId;
            this.callId = callId;
            this.kind = kind;
            this.name = name;
            this.op = op;
            this.args = args;
        }

        public Object arg(int i) {
            if (args == null || i >= args.length) {
                throw new IllegalArgumentException(op + " on " + kind + " '" + name + "' needs argument " + i);
            }
            return args[i];
        }

        @Override
        public String toString() {
            return kind + " '" + name + "'." + op;
        }
    }

    /** The answer to one request: a value or the exception the call threw in the manager. */
    public static final class Reply {
        public long callId;
        public Object value;
        public Throwable error;

        public Reply() {
        }

        public Reply(long callId, Object value, Throwable error) {
            this.callId = callId;
            this.value = value;
            this.error = error;
        }
    }

    /**
     * Kryo serializer of {@link Request}: clientId, callId (var longs), kind, name, op (strings), then
     * the arguments as one class-and-object. The arguments come last so that, when they cannot be
     * decoded, the rest of the input is skipped and the request is delivered with
     * {@link Request#undecodableArgs} set.
     */
    public static final class RequestSerializer extends com.esotericsoftware.kryo.Serializer<Request> {
        @Override
        public void write(com.esotericsoftware.kryo.Kryo kryo, com.esotericsoftware.kryo.io.Output out, Request r) {
            out.writeVarLong(r.clientId, true);
            out.writeVarLong(r.callId, true);
            out.writeString(r.kind);
            out.writeString(r.name);
            out.writeString(r.op);
            kryo.writeClassAndObject(out, r.args);
        }

        @Override
        public Request read(com.esotericsoftware.kryo.Kryo kryo, com.esotericsoftware.kryo.io.Input in,
                            Class<? extends Request> type) {
            Request r = new Request();
            r.clientId = in.readVarLong(true);
            r.callId = in.readVarLong(true);
            r.kind = in.readString();
            r.name = in.readString();
            r.op = in.readString();
            try {
                r.args = (Object[]) kryo.readClassAndObject(in);
            } catch (RuntimeException | LinkageError e) {
                r.undecodableArgs = io.ipckit.core.internal.codec.Failures.decoding(e, in.limit(), in.position());
                in.setPosition(in.limit()); // the arguments are the last field: skip what is left of them
            }
            return r;
        }
    }
}
