package io.ipckit.core.internal.local;

import io.ipckit.core.RemoteException;
import io.ipckit.core.SerializableSupplier;
import io.ipckit.core.Codec;
import io.ipckit.core.MessageTooLargeException;
import io.ipckit.core.SerializationException;

import io.ipckit.core.internal.Names;
import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.Remote;
import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.ObjectProtocol;
import io.ipckit.core.internal.manager.protocol.Protocol.Reply;

import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.StringJoiner;

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
        requireInterface("register", name, type);
        byte[] bytes;
        try {
            bytes = Codec.defaults().encode(factory);
        } catch (SerializationException e) {
            throw new SerializationException("the factory of object '" + name + "' cannot be sent to the manager: "
                    + e.getMessage() + "; pass a SerializableSupplier lambda, such as () -> new MyImpl(settings), that"
                    + " captures only serializable values", e);
        }
        Reply reply = client.exchange(ObjectProtocol.CREATE, name, type.getName(), bytes);
        if (reply.error != null) {
            // what the factory threw there (remote stack kept), or why the manager refused
            throw Remote.rethrowable(reply.error, "register(\"" + name + "\", " + type.getSimpleName() + ".class)");
        }
    }

    public static <T> T proxy(ManagerClient client, String name, Class<T> type) {
        Names.validate("object", name);
        Objects.requireNonNull(type, "type");
        requireInterface("proxy", name, type);
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
        return newProxy(new Invoker(HandleRef.of(client, Kind.OBJECT, name), type.getName()),
                type);
    }

    private static void requireInterface(String verb, String name, Class<?> type) {
        if (!type.isInterface() || type.isAnnotation()) {
            throw new IllegalArgumentException(verb + "(\"" + name + "\", " + type.getName() + ".class, ...): "
                    + type.getName() + " is not an interface; declare an interface with the methods to call in"
                    + " the manager, let your class implement it, and pass the interface");
        }
    }

    private static <T> T newProxy(Invoker invoker, Class<T> type) {
        Class<?>[] interfaces = type == Serializable.class || Serializable.class.isAssignableFrom(type)
                ? new Class<?>[] {type} : new Class<?>[] {type, Serializable.class};
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), interfaces, invoker));
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
            String call = describe(method) + " on object '" + ref.name() + "'";
            byte[] argBytes = null;
            if (args != null && args.length > 0) {
                try {
                    argBytes = Codec.defaults().encode(args);
                } catch (MessageTooLargeException e) {
                    throw new MessageTooLargeException("cannot call " + call + ": its arguments are too large: "
                            + e.getMessage());
                } catch (SerializationException e) {
                    throw new SerializationException("cannot call " + call + ": its arguments cannot be sent to the"
                            + " manager: " + e.getMessage(), e);
                }
            }
            Class<?>[] types = method.getParameterTypes();
            String[] typeNames = new String[types.length];
            for (int i = 0; i < types.length; i++) {
                typeNames[i] = types[i].getName();
            }
            Reply reply = ref.exchange(ObjectProtocol.INVOKE, method.getDeclaringClass().getName(), method.getName(),
                    typeNames, argBytes);
            if (reply.error != null) {
                throw rethrowable(reply.error, method, call);
            }
            if (reply.value == null) {
                return null;
            }
            try {
                return Codec.defaults().decode((byte[]) reply.value);
            } catch (SerializationException e) {
                throw new SerializationException("the result of " + call + " cannot be decoded in this JVM: "
                        + e.getMessage(), e);
            }
        }

        /** The remote exception as the method may throw it: declared checked ones as they are. */
        private static Throwable rethrowable(Throwable error, Method method, String call) {
            if (error instanceof RuntimeException || error instanceof Error) {
                Remote.attachCallSite(error, call);
                return error;
            }
            for (Class<?> declared : method.getExceptionTypes()) {
                if (declared.isInstance(error)) {
                    Remote.attachCallSite(error, call);
                    return error;
                }
            }
            return Remote.rethrowable(error, call); // an undeclared checked one: wrapped in RemoteException
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
                    return simpleName(interfaceName) + "[object '" + ref.name() + "' in the manager of "
                            + ManagerLayout.directoryOf(ref.address()) + "]";
                default:
                    throw new UnsupportedOperationException(method.toString());
            }
        }

        private static String simpleName(String className) {
            return className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
        }

        private static String describe(Method m) {
            StringJoiner p = new StringJoiner(", ", "(", ")");
            for (Class<?> c : m.getParameterTypes()) {
                p.add(c.getSimpleName());
            }
            return m.getDeclaringClass().getSimpleName() + "." + m.getName() + p;
        }
    }
}
