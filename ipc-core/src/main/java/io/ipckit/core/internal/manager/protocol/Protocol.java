package io.ipckit.core.internal.manager.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.ipckit.core.internal.codec.Failures;

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
 * reply by its client. A request names its operation by two small codes, the {@link Kind} of object and
 * the {@link Operation} within it, defined once per kind by the protocol enums ({@link MapProtocol},
 * {@link LockProtocol}...) that the client-side handles and the server-side handlers share; code
 * {@link #CREATE} of every kind gets or creates the named object. A client first sends
 * {@link ManagerProtocol#HELLO} with the access token and its pid; requests of clients that did not say
 * hello are refused. Blocking operations (a lock, a barrier) never block the dispatcher: their handler
 * answers later, or when their deadline passes; clients wait in slices of at most
 * {@link #MAX_WAIT_SLICE_MILLIS} so a dead manager is noticed.
 *
 * <p>The wire form of a request ({@link RequestSerializer}), after the codec's class id:
 * <pre>
 * clientId   var long
 * callId     var long
 * kind       1 byte   Kind code
 * op         1 byte   Operation code within the kind
 * name       string   the object's name ("-" for the manager's own operations)
 * argc       var int
 * args       argc class-and-object values, last: a request whose arguments cannot be decoded still
 *            reaches the dispatcher, which replies with the failure instead of leaving the caller waiting
 * </pre>
 * and of a reply ({@link ReplySerializer}): callId (var long), a flag byte (0 value, 1 error), then the
 * value or the error as one class-and-object. An unknown kind or operation code is answered with an error
 * naming it. A request with callId {@link #ONE_WAY} gets no reply: its client did not wait (a lock's
 * release by its holder, which the client checked); since all clients share the one request channel, the
 * manager still runs it before anything any client sent after it.
 */
public final class Protocol {
    /** Channel of requests to the manager. */
    public static final String REQUESTS = "mgr.requests";
    /** Prefix of each client's reply channel. */
    public static final String REPLY_PREFIX = "mgr.reply.";
    /** The operation code, in every kind, that gets or creates an object: args are the creation arguments. */
    public static final int CREATE = 0;
    /** The object name of the manager's own operations. */
    public static final String MANAGER_NAME = "-";
    /** The arguments of an operation that has none (shared, never written). */
    public static final Object[] NO_ARGS = new Object[0];

    /**
     * The call id of a one-way request: the manager runs it and sends no reply (a failure goes to its
     * standard error). Calls that wait for their reply number from 1.
     */
    public static final long ONE_WAY = 0;

    /** Longest time a server-side wait lasts before the client asks again. */
    public static final long MAX_WAIT_SLICE_MILLIS = 1_000;

    private Protocol() {
    }

    /**
     * One call from a client to an object hosted by the manager. Made by a client thread, encoded once by
     * the request channel's codec ({@link RequestSerializer}), decoded and used by the dispatcher thread.
     */
    public static final class Request {
        public long clientId;
        public long callId;
        /** The {@link Kind} code. */
        public int kind;
        /** The {@link Operation} code within the kind. */
        public int op;
        public String name;
        public Object[] args;
        /** Set by the dispatcher once it has checked the codes: the operation they name. */
        public transient Operation operation;
        /** Set on the manager side when {@link #args} could not be decoded; then {@code args} is null. */
        public transient RuntimeException undecodableArgs;

        public Request() {
        }

        public Request(long clientId, long callId, Operation op, String name, Object[] args) {
            this.clientId = clientId;
            this.callId = callId;
            this.kind = op.kind().code();
            this.op = op.code();
            this.name = name;
            this.args = args;
        }

        public Object arg(int i) {
            if (args == null || i >= args.length) {
                throw new IllegalArgumentException(this + " needs argument " + i);
            }
            return args[i];
        }

        @Override
        public String toString() {
            return Kind.describe(kind, op, name);
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
     * Kryo serializer of {@link Request}, in the wire form above. The arguments come last so that, when
     * they cannot be decoded, the rest of the input is skipped and the request is delivered with
     * {@link Request#undecodableArgs} set.
     */
    public static final class RequestSerializer extends Serializer<Request> {
        @Override
        public void write(Kryo kryo, Output out, Request r) {
            out.writeVarLong(r.clientId, true);
            out.writeVarLong(r.callId, true);
            out.writeByte(r.kind);
            out.writeByte(r.op);
            out.writeString(r.name);
            Object[] args = r.args == null ? NO_ARGS : r.args;
            out.writeVarInt(args.length, true);
            for (Object a : args) {
                kryo.writeClassAndObject(out, a);
            }
        }

        @Override
        public Request read(Kryo kryo, Input in, Class<? extends Request> type) {
            Request r = new Request();
            r.clientId = in.readVarLong(true);
            r.callId = in.readVarLong(true);
            r.kind = in.readByte() & 0xFF;
            r.op = in.readByte() & 0xFF;
            r.name = in.readString();
            try {
                int n = in.readVarInt(true);
                Object[] args = n == 0 ? NO_ARGS : new Object[n];
                for (int i = 0; i < n; i++) {
                    args[i] = kryo.readClassAndObject(in);
                }
                r.args = args;
            } catch (RuntimeException | LinkageError e) {
                r.undecodableArgs = Failures.decoding(e, in.limit(), in.position());
                in.setPosition(in.limit()); // the arguments are the last field: skip what is left of them
            }
            return r;
        }
    }

    /**
     * Kryo serializer of {@link Reply}: callId, a flag byte (1 when it carries an error), then the value or
     * the error. Written by hand rather than by Kryo's field serializer: no reflection per reply.
     */
    public static final class ReplySerializer extends Serializer<Reply> {
        @Override
        public void write(Kryo kryo, Output out, Reply r) {
            out.writeVarLong(r.callId, true);
            if (r.error != null) {
                out.writeByte(1);
                kryo.writeClassAndObject(out, r.error);
            } else {
                out.writeByte(0);
                kryo.writeClassAndObject(out, r.value);
            }
        }

        @Override
        public Reply read(Kryo kryo, Input in, Class<? extends Reply> type) {
            Reply r = new Reply();
            r.callId = in.readVarLong(true);
            if (in.readByte() != 0) {
                r.error = (Throwable) kryo.readClassAndObject(in);
            } else {
                r.value = kryo.readClassAndObject(in);
            }
            return r;
        }
    }
}
