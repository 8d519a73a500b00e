package io.ipckit.core.internal.local;

import io.ipckit.core.Manager;
import io.ipckit.core.SerializableSupplier;
import io.ipckit.core.internal.Names;
import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.Remote;
import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.ObjectProtocol;
import io.ipckit.core.internal.manager.protocol.Protocol.Reply;
import io.ipckit.core.internal.manager.server.handlers.UserObjectHandler;
import io.ipckit.core.internal.objects.ObjectCalls;

import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;

/**
 * Objects of the user's own types hosted by a manager ({@link Manager#register}, {@link Manager#proxy}):
 * the client side. A proxy is a JDK dynamic proxy whose handler, an {@link Invoker}, sends each call to the
 * manager's {@link UserObjectHandler}; arguments and results travel as codec bytes.
 */
public final class UserObjects {
    private UserObjects() {
    }

    public static <T> void register(ManagerClient client, String name, Class<T> type, SerializableSupplier<? extends T> factory) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        ObjectCalls.requireInterface("register", name, type);
        byte[] bytes = ObjectCalls.encodeFactory(name, factory, "the manager");
        Reply reply = client.exchange(ObjectProtocol.CREATE, name, type.getName(), bytes);
        if (reply.error != null) {
            // what the factory threw there (remote stack kept), or why the manager refused
            throw Remote.rethrowable(reply.error, "register(\"" + name + "\", " + type.getSimpleName() + ".class)");
        }
    }

    public static <T> T proxy(ManagerClient client, String name, Class<T> type) {
        Names.validate("object", name);
        Objects.requireNonNull(type, "type");
        ObjectCalls.requireInterface("proxy", name, type);
        Object why;
        try {
            why = client.call(ObjectProtocol.LOOKUP, name, type.getName());
        } catch (IllegalArgumentException e) {
            // the manager's router: no such name, or a name of another kind
            throw new IllegalArgumentException("cannot make a proxy implementing " + type.getName() + " for '" + name
                    + "': " + e.getMessage() + "; objects of your own types are registered first with"
                    + " manager.register(\"" + name + "\", " + type.getSimpleName() + ".class, factory)", e);
        }
        if (why != null) {
            throw new IllegalArgumentException(String.valueOf(why));
        }
        return ObjectCalls.newProxy(new Invoker(HandleRef.of(client, Kind.OBJECT, name), type.getName()),
                type);
    }

    /**
     * The invocation handler of a user-object proxy: which object (a {@link HandleRef}) and the interface
     * the proxy was made for. Serializable, so the proxy travels to other processes (see the codec's
     * {@code ProxySerializer}); there it connects to the manager on first use.
     */
    static final class Invoker implements InvocationHandler, Serializable {
        private static final long serialVersionUID = 1L;

        private final HandleRef ref;
        private final String interfaceName;

        Invoker(HandleRef ref, String interfaceName) {
            this.ref = ref;
            this.interfaceName = interfaceName;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return local(proxy, method, args);
            }
            String call = ObjectCalls.describe(method) + " on object '" + ref.name() + "'";
            byte[] argBytes = ObjectCalls.encodeArgs(call, args, "the manager");
            Reply reply = ref.exchange(ObjectProtocol.INVOKE, method.getDeclaringClass().getName(), method.getName(),
                    ObjectCalls.parameterTypeNames(method), argBytes);
            if (reply.error != null) {
                throw ObjectCalls.rethrowable(reply.error, method, call);
            }
            return ObjectCalls.decodeResult(call, (byte[]) reply.value);
        }

        private Object local(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "equals": {
                    Object other = args[0];
                    if (other == null || !Proxy.isProxyClass(other.getClass())) {
                        return false;
                    }
                    InvocationHandler h = Proxy.getInvocationHandler(other);
                    return h instanceof Invoker && ((Invoker) h).ref.address().equals(ref.address())
                            && ((Invoker) h).ref.name().equals(ref.name());
                }
                case "hashCode":
                    return Objects.hash(ref.address(), ref.name());
                case "toString":
                    return ObjectCalls.simpleName(interfaceName) + "[object '" + ref.name() + "' in the manager of "
                            + ManagerLayout.directoryOf(ref.address()) + "]";
                default:
                    throw new UnsupportedOperationException(method.toString());
            }
        }
    }
}
