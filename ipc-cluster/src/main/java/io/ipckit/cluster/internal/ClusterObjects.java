package io.ipckit.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.ClusterException;
import io.ipckit.core.Codec;
import io.ipckit.core.SerializableSupplier;
import io.ipckit.core.internal.manager.Remote;
import io.ipckit.core.internal.objects.ObjectCalls;

import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Objects of the user's own types on the cluster ({@code Manager.register} and {@code Manager.proxy}): the
 * caller's side of {@link ObjectCall}s, which the node hosting the object runs ({@link HostedObjects}). A
 * proxy is a JDK dynamic proxy whose handler, an {@link Invoker}, remembers the object's host and sends each
 * call there; a call reaching a node that no longer hosts it is told where it went ({@link ObjectCall#MOVED})
 * and follows.
 *
 * <p>Any thread of any process with the cluster address; each call blocks until the node answers, or fails
 * when the node hosting the object leaves meanwhile ({@link ClusterException}) or the cluster is unreachable
 * ({@link io.ipckit.cluster.ClusterUnreachableException}).
 */
final class ClusterObjects {
    /** How many times one call follows its object to another node before it gives up. */
    private static final int MAX_MOVES = 4;
    private static final Codec CODEC = Codec.defaults();

    private ClusterObjects() {
    }

    static <T> void register(ClusterClient client, String name, Class<T> type, SerializableSupplier<? extends T> factory) {
        Names.check("object", name);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        ObjectCalls.requireInterface("register", name, type);
        byte[] bytes = ObjectCalls.encodeFactory(name, factory, "the cluster's nodes");
        String what = "register(\"" + name + "\", " + type.getSimpleName() + ".class)";
        Object[] reply = send(client, ObjectCall.REGISTER, name, new Object[] {type.getName(), bytes}, null, what);
        if (reply[2] != null) {
            // what the factory threw there (remote stack kept), or why the node refused
            throw Remote.rethrowable((Throwable) reply[2], what);
        }
    }

    static <T> T proxy(ClusterClient client, String name, Class<T> type) {
        Names.check("object", name);
        Objects.requireNonNull(type, "type");
        ObjectCalls.requireInterface("proxy", name, type);
        String what = "proxy(\"" + name + "\", " + type.getSimpleName() + ".class)";
        Object[] reply = send(client, ObjectCall.LOOKUP, name, new Object[] {type.getName()}, null, what);
        if (reply[2] instanceof IllegalArgumentException) {
            throw new IllegalArgumentException("cannot make a proxy implementing " + type.getName() + " for '" + name
                    + "': " + ((Throwable) reply[2]).getMessage(), (Throwable) reply[2]);
        }
        if (reply[2] != null) {
            throw Remote.rethrowable((Throwable) reply[2], what);
        }
        if (reply[1] != null) {
            throw new IllegalArgumentException(String.valueOf(reply[1]));
        }
        Invoker invoker = new Invoker(client.address().toString(), name, type.getName());
        invoker.host = UUID.fromString((String) reply[3]);
        return ObjectCalls.newProxy(invoker, type);
    }

    /**
     * Sends one call to {@code host} (null, or no longer a member: to the owner of the name's partition),
     * following the object where it moved.
     *
     * @return the node's reply {@code {status, value, error, node uuid}}, status OK or FAILED
     */
    private static Object[] send(ClusterClient client, byte op, String name, Object[] request, UUID host, String what) {
        String subject = ObjectCall.subject(name);
        ObjectCall call = new ObjectCall(op, name, client.sealer().seal(CODEC.encode(request), subject));
        IExecutorService executor = client.hazelcast().getExecutorService(ObjectCall.EXECUTOR);
        UUID target = host;
        for (int moves = 0; ; moves++) {
            byte[] sealed = await(submit(client, executor, call, target, what), name, what);
            Object[] reply = (Object[]) CODEC.decode(client.sealer().open(sealed, subject));
            if ((Integer) reply[0] != ObjectCall.MOVED) {
                return reply;
            }
            if (moves == MAX_MOVES) {
                throw new ClusterException(what + ": object '" + name + "' moved between nodes " + MAX_MOVES
                        + " times during the call (nodes joining or leaving); retry");
            }
            target = UUID.fromString((String) reply[1]);
        }
    }

    private static Future<byte[]> submit(ClusterClient client, IExecutorService executor, ObjectCall call, UUID target,
                                         String what) {
        try {
            Member member = null;
            if (target != null) {
                for (Member m : client.hazelcast().getCluster().getMembers()) {
                    if (m.getUuid().equals(target)) {
                        member = m;
                    }
                }
            }
            return member != null ? executor.submitToMember(call, member) : executor.submitToKeyOwner(call, call.name);
        } catch (RuntimeException e) {
            throw unchecked(Guard.translate(e, what));
        }
    }

    private static byte[] await(Future<byte[]> reply, String name, String what) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting for " + what + " on object '" + name + "'; the call"
                    + " may still run in its node", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MemberLeftException || cause instanceof TargetNotMemberException
                    || cause instanceof TargetDisconnectedException) {
                throw new ClusterException(what + ": the cluster node hosting object '" + name + "' left during the"
                        + " call, which may or may not have run; the object starts afresh from its factory in another"
                        + " node at the next call (its state was in the node that left)", cause);
            }
            throw unchecked(Guard.translate(cause, what));
        }
    }

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new ClusterException(t.toString(), t);
    }

    /**
     * The invocation handler of a proxy of a cluster object: the cluster's address, the object's name and
     * the interface the proxy was made for, and (in this JVM only) the node that hosted it at the last call.
     * Serializable, so the proxy travels to other processes; there it uses that JVM's client of the cluster.
     * Any thread.
     */
    static final class Invoker implements InvocationHandler, Serializable {
        private static final long serialVersionUID = 1L;

        private final String address;
        private final String name;
        private final String interfaceName;
        private transient volatile UUID host;
        /** {@link #address}, parsed once in this JVM. */
        private transient volatile ClusterAddress parsed;

        Invoker(String address, String name, String interfaceName) {
            this.address = address;
            this.name = name;
            this.interfaceName = interfaceName;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return local(method, args);
            }
            String call = ObjectCalls.describe(method) + " on object '" + name + "'";
            byte[] argBytes = ObjectCalls.encodeArgs(call, args, "the cluster node hosting it");
            ClusterAddress a = parsed;
            if (a == null) {
                a = ClusterAddress.parse(address);
                parsed = a;
            }
            ClusterClient client = ClusterClient.of(a);
            Object[] reply = send(client, ObjectCall.INVOKE, name, new Object[] {method.getDeclaringClass().getName(),
                    method.getName(), ObjectCalls.parameterTypeNames(method), argBytes}, host, call);
            host = UUID.fromString((String) reply[3]);
            if (reply[2] != null) {
                throw ObjectCalls.rethrowable((Throwable) reply[2], method, call);
            }
            return ObjectCalls.decodeResult(call, (byte[]) reply[1]);
        }

        private Object local(Method method, Object[] args) {
            switch (method.getName()) {
                case "equals": {
                    Object other = args[0];
                    if (other == null || !Proxy.isProxyClass(other.getClass())) {
                        return false;
                    }
                    InvocationHandler h = Proxy.getInvocationHandler(other);
                    return h instanceof Invoker && ((Invoker) h).address.equals(address) && ((Invoker) h).name.equals(name);
                }
                case "hashCode":
                    return Objects.hash(address, name);
                case "toString":
                    return ObjectCalls.simpleName(interfaceName) + "[object '" + name + "' in cluster "
                            + ClusterAddress.parse(address).redacted() + "]";
                default:
                    throw new UnsupportedOperationException(method.toString());
            }
        }
    }
}
