package io.ipckit.core.internal.objects;

import io.ipckit.core.Codec;
import io.ipckit.core.MessageTooLargeException;
import io.ipckit.core.SerializationException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One object of the user's own type (Python's {@code BaseManager.register}) in the process that hosts it, a
 * manager or a cluster node ({@link Host}): made by the factory its registration sent, called by (declaring
 * interface, method name, parameter types) with arguments and results as codec bytes, so a class this JVM
 * cannot decode or a result it cannot encode fails that one call with a {@link SerializationException}.
 *
 * <p>Thread role: any thread of the hosting process; the {@link Host}'s runner decides how calls on one
 * object are serialized.
 */
public final class HostedObject {
    private static final Map<String, Class<?>> PRIMITIVES = Map.of(
            "boolean", boolean.class, "byte", byte.class, "char", char.class, "short", short.class,
            "int", int.class, "long", long.class, "float", float.class, "double", double.class);

    private final String name;
    private final Class<?> type;
    private final Object target;
    private final Host host;
    private final Map<String, Method> methods = new ConcurrentHashMap<>();

    private HostedObject(String name, Class<?> type, Object target, Host host) {
        this.name = name;
        this.type = type;
        this.target = target;
        this.host = host;
    }

    /**
     * Decodes the factory and runs it (through the host's runner).
     *
     * @throws IllegalArgumentException when the interface is not on this JVM's classpath or not an
     *                                  interface, or the factory returns null or no implementation of it
     * @throws SerializationException   when the factory cannot be decoded here
     * @throws Exception                what the factory threw
     */
    public static HostedObject create(String name, String typeName, byte[] factoryBytes, Host host) throws Exception {
        Class<?> type = load(typeName);
        if (type == null || !type.isInterface()) {
            throw new IllegalArgumentException("cannot register object '" + name + "': " + (type == null
                    ? "interface " + typeName + " is not on " + host.jvm() + "'s classpath; " + host.fix()
                    : typeName + " is not an interface"));
        }
        Object factory;
        try {
            factory = Codec.defaults().decode(factoryBytes);
        } catch (SerializationException e) {
            throw new SerializationException(host.place() + " cannot decode the factory of object '" + name + "': "
                    + e.getMessage() + "; " + host.jvm() + " needs the factory's classes on its classpath");
        }
        if (!(factory instanceof Supplier)) {
            throw new IllegalArgumentException("the factory of object '" + name + "' decoded as a "
                    + (factory == null ? "null" : factory.getClass().getName()) + ", not a SerializableSupplier");
        }
        Supplier<?> supplier = (Supplier<?>) factory;
        Object target = host.runner().run(supplier::get); // what it throws goes to the caller
        if (target == null) {
            throw new IllegalArgumentException("the factory of object '" + name + "' returned null; it must return a"
                    + " new " + typeName + " (the name stays free)");
        }
        if (!type.isInstance(target)) {
            throw new IllegalArgumentException("the factory of object '" + name + "' returned a "
                    + target.getClass().getName() + ", which does not implement " + typeName + "; return an"
                    + " implementation of " + type.getSimpleName() + " (the name stays free)");
        }
        return new HostedObject(name, type, target, host);
    }

    /** The interface it was registered with. */
    public Class<?> type() {
        return type;
    }

    /** "INTERFACE (a CLASS)". */
    public String describe() {
        return type.getName() + " (a " + target.getClass().getName() + ")";
    }

    /**
     * Get-or-create's second registration: nothing when {@code typeName} is the registered interface.
     *
     * @throws IllegalArgumentException when it is another
     */
    public void registerAgain(String typeName) {
        requireSameInterface(name, type.getName(), typeName);
    }

    /**
     * Get-or-create's second registration of object {@code name}, registered with interface
     * {@code registered}: nothing when {@code typeName} is that interface.
     *
     * @throws IllegalArgumentException when it is another
     */
    public static void requireSameInterface(String name, String registered, String typeName) {
        if (!registered.equals(typeName)) {
            throw new IllegalArgumentException("object '" + name + "' is registered with interface "
                    + registered + "; it cannot be registered again with " + typeName + "; use another name,"
                    + " or proxy(\"" + name + "\", " + ObjectCalls.simpleName(registered) + ".class)");
        }
    }

    /** Whether a proxy implementing {@code typeName} may call it: null if so, else why not. */
    public String lookup(String typeName) {
        Class<?> wanted = load(typeName);
        if (wanted != null && wanted.isInstance(target)) {
            return null;
        }
        return "object '" + name + "' in " + host.place() + " is a " + target.getClass().getName() + " registered as "
                + type.getName() + " (it implements " + interfacesOf(target.getClass()) + ")"
                + (wanted == null ? "; " + typeName + " is not even on " + host.jvm() + "'s classpath"
                : " and does not implement " + typeName)
                + "; ask for proxy(\"" + name + "\", " + type.getSimpleName() + ".class)";
    }

    /**
     * Calls a method (through the host's runner) and answers its result, encoded (null for null).
     *
     * @throws Exception what the method threw (the user's exception itself, not a reflection wrapper), or
     *                   why it cannot be called or its arguments or result cannot travel
     */
    public byte[] invoke(String declaring, String methodName, String[] params, byte[] argBytes) throws Exception {
        Method m = method(declaring, methodName, params);
        String call = describe(m) + " on object '" + name + "'";
        Object[] args;
        try {
            args = argBytes == null ? new Object[0] : (Object[]) Codec.defaults().decode(argBytes);
        } catch (SerializationException e) {
            throw new SerializationException(host.place() + " cannot decode the arguments of " + call + ": "
                    + e.getMessage());
        }
        Object result;
        try {
            Object[] callArgs = args;
            result = host.runner().run(() -> m.invoke(target, callArgs));
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
            throw new IllegalStateException(host.place() + " cannot call " + call + ": " + e.getMessage()
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

    /** "Interface.method(ParamType, ...)". */
    public static String describe(Method m) {
        StringJoiner p = new StringJoiner(", ", "(", ")");
        for (Class<?> c : m.getParameterTypes()) {
            p.add(c.getSimpleName());
        }
        return m.getDeclaringClass().getSimpleName() + "." + m.getName() + p;
    }

    private Method method(String declaring, String methodName, String[] params) {
        String key = declaring + '#' + methodName + '(' + String.join(",", params) + ')';
        Method m = methods.get(key);
        if (m != null) {
            return m;
        }
        Class<?> owner = load(declaring);
        if (owner == null || !owner.isInstance(target)) {
            throw new IllegalArgumentException("object '" + name + "' (a " + target.getClass().getName()
                    + ") does not implement " + declaring + (owner == null ? ", which is not on " + host.jvm()
                    + "'s classpath" : "") + "; it implements " + interfacesOf(target.getClass()));
        }
        Class<?>[] types = new Class<?>[params.length];
        for (int i = 0; i < params.length; i++) {
            types[i] = load(params[i]);
            if (types[i] == null) {
                throw new IllegalArgumentException("cannot call " + owner.getSimpleName() + "." + methodName
                        + " on object '" + name + "': its parameter type " + params[i] + " is not on "
                        + host.jvm() + "'s classpath");
            }
        }
        try {
            m = owner.getMethod(methodName, types);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("object '" + name + "': " + declaring + " has no method "
                    + methodName + "(" + String.join(", ", params) + ") in " + host.jvm() + "; do both JVMs run the"
                    + " same classes?");
        }
        if (!Modifier.isPublic(owner.getModifiers())) {
            m.trySetAccessible(); // a package-private interface: its methods are public, the type is not
        }
        methods.put(key, m);
        return m;
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
            return Class.forName(name, false, loader != null ? loader : HostedObject.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
