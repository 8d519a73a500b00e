package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.Codec;
import io.ipckit.core.MessageTooLargeException;
import io.ipckit.core.SerializationException;
import io.ipckit.core.internal.manager.DispatcherThread;
import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.ObjectProtocol;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;
import io.ipckit.core.internal.manager.server.ObjectHandler;
import io.ipckit.core.internal.manager.server.ServerContext;
import io.ipckit.core.internal.manager.server.Session;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Hosts objects of the user's own types (Python's {@code BaseManager.register}). An object is made once,
 * here, by the factory its first registration sent; proxies call its methods by (declaring interface,
 * name, parameter types). Arguments, results and factories travel as codec bytes inside the request or
 * reply, so a class this JVM cannot decode or a result it cannot encode fails that one call with a
 * {@link SerializationException} and never touches the manager's channels.
 *
 * <p>Calls run on the dispatcher thread, one at a time: calls on one object are serialized, and a long
 * method delays every other request of the manager until it returns. The operations, their arguments and
 * replies are listed in {@link ObjectProtocol}.
 */
public final class UserObjectHandler implements ObjectHandler {

    private static final Map<String, Class<?>> PRIMITIVES = Map.of(
            "boolean", boolean.class, "byte", byte.class, "char", char.class, "short", short.class,
            "int", int.class, "long", long.class, "float", float.class, "double", double.class);

    private final Map<String, Hosted> objects = new HashMap<>();

    @Override
    public Kind kind() {
        return Kind.OBJECT;
    }

    @Override
    public String describe(String name) {
        Hosted h = objects.get(name);
        return h.type.getName() + " (a " + h.target.getClass().getName() + ")";
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) throws Exception {
        String typeName = (String) args[0];
        Class<?> type = load(typeName);
        if (type == null || !type.isInterface()) {
            throw new IllegalArgumentException("cannot register object '" + name + "': " + (type == null
                    ? "interface " + typeName + " is not on the manager JVM's classpath; start the manager with"
                    + " the classpath that holds it"
                    : typeName + " is not an interface"));
        }
        Object factory;
        try {
            factory = Codec.defaults().decode((byte[]) args[1]);
        } catch (SerializationException e) {
            throw new SerializationException("the manager cannot decode the factory of object '" + name + "': "
                    + e.getMessage() + "; the manager JVM needs the factory's classes on its classpath");
        }
        if (!(factory instanceof Supplier)) {
            throw new IllegalArgumentException("the factory of object '" + name + "' decoded as a "
                    + (factory == null ? "null" : factory.getClass().getName()) + ", not a SerializableSupplier");
        }
        Supplier<?> supplier = (Supplier<?>) factory;
        Object target = DispatcherThread.call(ctx.directory(), supplier::get); // what it throws goes to the caller
        if (target == null) {
            throw new IllegalArgumentException("the factory of object '" + name + "' returned null; it must return a"
                    + " new " + typeName + " (the name stays free)");
        }
        if (!type.isInstance(target)) {
            throw new IllegalArgumentException("the factory of object '" + name + "' returned a "
                    + target.getClass().getName() + ", which does not implement " + typeName + "; return an"
                    + " implementation of " + type.getSimpleName() + " (the name stays free)");
        }
        objects.put(name, new Hosted(type, target));
        return null;
    }

    @Override
    public Object reopen(String name, Object[] args, ServerContext ctx) {
        Hosted h = objects.get(name);
        String typeName = (String) args[0];
        if (!h.type.getName().equals(typeName)) {
            throw new IllegalArgumentException("object '" + name + "' is registered with interface "
                    + h.type.getName() + "; it cannot be registered again with " + typeName + "; use another name,"
                    + " or proxy(\"" + name + "\", " + h.type.getSimpleName() + ".class)");
        }
        return null; // get-or-create: the existing object stays, the new factory is not run
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) throws Exception {
        Hosted h = objects.get(r.name);
        switch ((ObjectProtocol) r.operation) {
            case LOOKUP:
                return lookup(r.name, h, (String) r.arg(0));
            case INVOKE:
                return invoke(r, h, ctx);
            default:
                throw new UnsupportedOperationException("object '" + r.name + "' has no operation " + r.operation.label());
        }
    }

    private String lookup(String name, Hosted h, String typeName) {
        Class<?> wanted = load(typeName);
        if (wanted != null && wanted.isInstance(h.target)) {
            return null;
        }
        return "object '" + name + "' in the manager is a " + h.target.getClass().getName() + " registered as "
                + h.type.getName() + " (it implements " + interfacesOf(h.target.getClass()) + ")"
                + (wanted == null ? "; " + typeName + " is not even on the manager JVM's classpath"
                : " and does not implement " + typeName)
                + "; ask for proxy(\"" + name + "\", " + h.type.getSimpleName() + ".class)";
    }

    private Object invoke(Request r, Hosted h, ServerContext ctx) throws Exception {
        String declaring = (String) r.arg(0);
        String methodName = (String) r.arg(1);
        String[] params = (String[]) r.arg(2);
        byte[] argBytes = (byte[]) r.arg(3);
        Method m = h.method(r.name, declaring, methodName, params);
        String call = describe(m) + " on object '" + r.name + "'";
        Object[] args;
        try {
            args = argBytes == null ? new Object[0] : (Object[]) Codec.defaults().decode(argBytes);
        } catch (SerializationException e) {
            throw new SerializationException("the manager cannot decode the arguments of " + call + ": "
                    + e.getMessage());
        }
        Object result;
        try {
            Object[] callArgs = args;
            result = DispatcherThread.call(ctx.directory(), () -> m.invoke(h.target, callArgs));
        } catch (InvocationTargetException e) {
            // the user's exception travels, with its stack, not the reflection wrapper
            Throwable t = e.getCause();
            if (t instanceof Exception) {
                throw (Exception) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            throw e; // a bare Throwable subclass: sent in its wrapper
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("the manager cannot call " + call + ": " + e.getMessage()
                    + "; make the interface public", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot call " + call + ": the arguments do not match its"
                    + " parameters (" + e.getMessage() + "); do both JVMs run the same classes?", e);
        }
        if (result == null) {
            return null;
        }
        try {
            return Codec.defaults().encode(result);
        } catch (MessageTooLargeException e) {
            throw new MessageTooLargeException("the result of " + call + " cannot be sent back: " + e.getMessage());
        } catch (SerializationException e) {
            throw new SerializationException("the result of " + call + " cannot be sent back: " + e.getMessage());
        }
    }

    static String describe(Method m) {
        StringJoiner p = new StringJoiner(", ", "(", ")");
        for (Class<?> c : m.getParameterTypes()) {
            p.add(c.getSimpleName());
        }
        return m.getDeclaringClass().getSimpleName() + "." + m.getName() + p;
    }

    private static Set<String> interfacesOf(Class<?> c) {
        Set<String> names = new LinkedHashSet<>();
        List<Class<?>> todo = new ArrayList<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            todo.addAll(List.of(k.getInterfaces()));
        }
        while (!todo.isEmpty()) {
            Class<?> i = todo.remove(0);
            if (names.add(i.getName())) {
                todo.addAll(List.of(i.getInterfaces()));
            }
        }
        return names;
    }

    /** The class of that name as this JVM's code sees it, or null. */
    private static Class<?> load(String name) {
        Class<?> primitive = PRIMITIVES.get(name);
        if (primitive != null) {
            return primitive;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(name, false, loader != null ? loader : UserObjectHandler.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** One hosted object and the methods called on it so far. */
    private static final class Hosted {
        final Class<?> type;
        final Object target;
        final Map<String, Method> methods = new HashMap<>();

        Hosted(Class<?> type, Object target) {
            this.type = type;
            this.target = target;
        }

        Method method(String name, String declaring, String methodName, String[] params) {
            String key = declaring + '#' + methodName + '(' + String.join(",", params) + ')';
            Method m = methods.get(key);
            if (m != null) {
                return m;
            }
            Class<?> owner = load(declaring);
            if (owner == null || !owner.isInstance(target)) {
                throw new IllegalArgumentException("object '" + name + "' (a " + target.getClass().getName()
                        + ") does not implement " + declaring + (owner == null ? ", which is not on the manager"
                        + " JVM's classpath" : "") + "; it implements " + interfacesOf(target.getClass()));
            }
            Class<?>[] types = new Class<?>[params.length];
            for (int i = 0; i < params.length; i++) {
                types[i] = load(params[i]);
                if (types[i] == null) {
                    throw new IllegalArgumentException("cannot call " + owner.getSimpleName() + "." + methodName
                            + " on object '" + name + "': its parameter type " + params[i] + " is not on the"
                            + " manager JVM's classpath");
                }
            }
            try {
                m = owner.getMethod(methodName, types);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("object '" + name + "': " + declaring + " has no method "
                        + methodName + "(" + String.join(", ", params) + ") in the manager JVM; do both JVMs run the same"
                        + " classes?");
            }
            if (!Modifier.isPublic(owner.getModifiers())) {
                m.trySetAccessible(); // a package-private interface: its methods are public, the type is not
            }
            methods.put(key, m);
            return m;
        }
    }
}
