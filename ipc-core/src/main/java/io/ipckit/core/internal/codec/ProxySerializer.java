package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.ipckit.core.SerializationException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * Encodes a JDK dynamic proxy ({@link Proxy}) as the names of its interfaces plus its invocation handler,
 * and rebuilds it on the reading side. Kryo has no serializer for proxies: their classes are generated per
 * JVM ({@code jdk.proxy1.$Proxy12}), so the class name means nothing elsewhere. Kryo treats every proxy
 * class as {@link InvocationHandler} (see {@code Kryo.getRegistration}); {@link KryoFactory} registers that
 * type with a fixed id and this serializer, so the bytes never name the generated class.
 *
 * <p>The handler must be encodable (ipckit's user-object proxies hold a small serializable one). In strict
 * mode the interfaces must be allowed (JDK ones always are) and the handler's class is checked as usual.
 */
final class ProxySerializer extends Serializer<Object> {
    /** A proxy class implements at most this many interfaces (a limit of the class-file format). */
    private static final int MAX_INTERFACES = 65_535;

    private final ClassPolicy policy;

    ProxySerializer(ClassPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void write(Kryo kryo, Output out, Object proxy) {
        Class<?> type = proxy.getClass();
        if (!Proxy.isProxyClass(type)) {
            throw new SerializationException("cannot encode " + type.getName() + " as a dynamic proxy: it is not one"
                    + " (only java.lang.reflect.Proxy instances are encoded this way)");
        }
        Class<?>[] interfaces = type.getInterfaces();
        out.writeVarInt(interfaces.length, true);
        for (Class<?> i : interfaces) {
            out.writeString(i.getName());
        }
        kryo.writeClassAndObject(out, Proxy.getInvocationHandler(proxy));
    }

    @Override
    public Object read(Kryo kryo, Input in, Class<?> type) {
        int n = in.readVarInt(true);
        if (n < 1 || n > MAX_INTERFACES) {
            throw new SerializationException("corrupt input: a dynamic proxy with " + n + " interfaces");
        }
        Class<?>[] interfaces = new Class<?>[n];
        for (int i = 0; i < n; i++) {
            interfaces[i] = loadInterface(kryo, in.readString());
        }
        Object handler = kryo.readClassAndObject(in);
        if (!(handler instanceof InvocationHandler)) {
            throw new SerializationException("corrupt input: the invocation handler of a dynamic proxy decoded as "
                    + (handler == null ? "null" : handler.getClass().getName()));
        }
        InvocationHandler h = (InvocationHandler) handler;
        try {
            return Proxy.newProxyInstance(kryo.getClassLoader(), interfaces, h);
        } catch (IllegalArgumentException notVisible) {
            // a non-public interface, or one the codec's loader does not see: its own loader defines the proxy
            try {
                return Proxy.newProxyInstance(interfaces[0].getClassLoader(), interfaces, h);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("cannot rebuild a dynamic proxy implementing "
                        + java.util.Arrays.toString(interfaces) + ": " + e.getMessage(), e);
            }
        }
    }

    private Class<?> loadInterface(Kryo kryo, String name) {
        if (name == null || name.isEmpty()) {
            throw new SerializationException("corrupt input: an interface name of a dynamic proxy is missing");
        }
        Class<?> c;
        try {
            c = Class.forName(name, false, kryo.getClassLoader());
        } catch (ClassNotFoundException notFound) {
            throw new SerializationException("unknown interface " + name + " of a dynamic proxy (is it on the reading"
                    + " JVM's classpath?)", notFound);
        } catch (LinkageError e) {
            throw new SerializationException("interface " + name + " of a dynamic proxy cannot be loaded: " + e, e);
        }
        if (!c.isInterface()) {
            throw new SerializationException("corrupt input: " + name + " is not an interface, so no proxy implements it");
        }
        if (!name.startsWith("java.")) {
            policy.check(c);
        }
        return c;
    }
}
