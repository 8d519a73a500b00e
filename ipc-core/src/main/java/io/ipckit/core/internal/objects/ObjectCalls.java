package io.ipckit.core.internal.objects;

import io.ipckit.core.Codec;
import io.ipckit.core.MessageTooLargeException;
import io.ipckit.core.SerializableSupplier;
import io.ipckit.core.SerializationException;
import io.ipckit.core.internal.manager.Remote;

import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The caller's side of objects of the user's own types, whatever hosts them (a manager, a cluster node):
 * checking the interface, encoding the factory and the arguments, decoding the result, the proxy, and the
 * remote exception as the method may throw it. Any thread; never blocks.
 */
public final class ObjectCalls {
    private ObjectCalls() {
    }

    /** @throws IllegalArgumentException when {@code type} is not an interface */
    public static void requireInterface(String verb, String name, Class<?> type) {
        if (!type.isInterface() || type.isAnnotation()) {
            throw new IllegalArgumentException(verb + "(\"" + name + "\", " + type.getName() + ".class, ...): "
                    + type.getName() + " is not an interface; declare an interface with the methods to call in"
                    + " the process that hosts it, let your class implement it, and pass the interface");
        }
    }

    /**
     * The factory's bytes.
     *
     * @param host where it goes, as a sentence names it ("the manager")
     * @throws SerializationException when it cannot be encoded
     */
    public static byte[] encodeFactory(String name, SerializableSupplier<?> factory, String host) {
        try {
            return Codec.defaults().encode(factory);
        } catch (SerializationException e) {
            throw new SerializationException("the factory of object '" + name + "' cannot be sent to " + host + ": "
                    + e.getMessage() + "; pass a SerializableSupplier lambda, such as () -> new MyImpl(settings), that"
                    + " captures only serializable values", e);
        }
    }

    /** A proxy implementing {@code type} (and {@link Serializable}, so it travels) calling {@code handler}. */
    public static <T> T newProxy(InvocationHandler handler, Class<T> type) {
        Class<?>[] interfaces = type == Serializable.class || Serializable.class.isAssignableFrom(type)
                ? new Class<?>[] {type} : new Class<?>[] {type, Serializable.class};
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), interfaces, handler));
    }

    /**
     * The arguments' bytes, or null for none.
     *
     * @param call the call, as {@link #describe} and the object name make it
     * @param host where they go, as a sentence names it
     */
    public static byte[] encodeArgs(String call, Object[] args, String host) {
        if (args == null || args.length == 0) {
            return null;
        }
        try {
            return Codec.defaults().encode(args);
        } catch (MessageTooLargeException e) {
            throw new MessageTooLargeException("cannot call " + call + ": its arguments are too large: "
                    + e.getMessage());
        } catch (SerializationException e) {
            throw new SerializationException("cannot call " + call + ": its arguments cannot be sent to " + host + ": "
                    + e.getMessage(), e);
        }
    }

    /** The result of a call, from its bytes (null for null). */
    public static Object decodeResult(String call, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return Codec.defaults().decode(value);
        } catch (SerializationException e) {
            throw new SerializationException("the result of " + call + " cannot be decoded in this JVM: "
                    + e.getMessage(), e);
        }
    }

    /** The names of a method's parameter types, as the hosting side loads them. */
    public static String[] parameterTypeNames(Method method) {
        Class<?>[] types = method.getParameterTypes();
        String[] names = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            names[i] = types[i].getName();
        }
        return names;
    }

    /** "Interface.method(ParamType, ...)". */
    public static String describe(Method m) {
        return HostedObject.describe(m);
    }

    /** The remote exception as the method may throw it: declared checked ones as they are, others wrapped. */
    public static Throwable rethrowable(Throwable error, Method method, String call) {
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

    /** The simple name of a class from its binary name. */
    public static String simpleName(String className) {
        return className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
    }
}
