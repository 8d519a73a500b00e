package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.IntMap;
import com.esotericsoftware.kryo.util.ObjectMap;
import io.ipckit.core.SerializationException;

/**
 * Resolves class names read from the bytes with the Kryo instance's class loader only (Kryo's
 * own resolver silently falls back to Kryo's loader), applies the codec's {@link ClassPolicy},
 * and reports unknown classes as {@link SerializationException}. One per Kryo instance.
 */
final class AllowListClassResolver extends DefaultClassResolver {

    private final ClassPolicy policy;

    AllowListClassResolver(ClassPolicy policy) {
        this.policy = policy;
    }

    /** Forgets name-to-class lookups, after the Kryo's class loader changed. */
    void forgetLoadedNames() {
        if (nameToClass != null) {
            nameToClass.clear();
        }
        if (nameIdToClass != null) {
            nameIdToClass.clear();
        }
    }

    @Override
    protected Registration readName(Input input) {
        int nameId = input.readVarInt(true);
        if (nameIdToClass == null) {
            nameIdToClass = new IntMap<>();
        }
        Class<?> type = nameIdToClass.get(nameId);
        if (type == null) {
            String className = input.readString();
            if (className == null || className.isEmpty()) {
                throw new SerializationException("corrupt input: a class name is missing");
            }
            type = resolve(className);
            nameIdToClass.put(nameId, type);
        }
        return kryo.getRegistration(type);
    }

    private Class<?> resolve(String className) {
        Class<?> type = nameToClass == null ? null : nameToClass.get(className);
        if (type != null) {
            return type;
        }
        type = load(className);
        policy.check(type);
        if (nameToClass == null) {
            nameToClass = new ObjectMap<>();
        }
        nameToClass.put(className, type);
        return type;
    }

    private Class<?> load(String className) {
        try {
            return Class.forName(className, false, kryo.getClassLoader());
        } catch (ClassNotFoundException notFound) {
            // ipckit's and Kryo's internal classes: from the loader that loaded the codec.
            if (className.startsWith("io.ipckit.core.internal.") || className.startsWith("com.esotericsoftware.kryo.")) {
                try {
                    return Class.forName(className, false, AllowListClassResolver.class.getClassLoader());
                } catch (ClassNotFoundException ignored) {
                    // reported below
                }
            }
            throw new SerializationException("unknown class " + printable(className)
                    + " (is it on the reading JVM's classpath?)", notFound);
        } catch (LinkageError e) {
            throw new SerializationException("class " + printable(className) + " cannot be loaded: " + e, e);
        }
    }

    /** A class name as read from possibly corrupt bytes, fit for a message. */
    private static String printable(String name) {
        String shortened = name.length() > 200 ? name.substring(0, 200) + "..." : name;
        StringBuilder sb = new StringBuilder(shortened.length());
        shortened.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
