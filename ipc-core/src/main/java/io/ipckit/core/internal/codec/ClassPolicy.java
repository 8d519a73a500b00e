package io.ipckit.core.internal.codec;

import io.ipckit.core.SerializationException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Collection;
import java.util.Currency;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Which classes a codec may decode. Lenient: any. Strict: the classes and packages the user
 * allowed plus a safe baseline (see {@link #isBaseline}). Immutable and thread-safe.
 */
public final class ClassPolicy {

    private static final ClassPolicy LENIENT = new ClassPolicy(false, Set.of(), List.of());

    private static final Set<Class<?>> BASELINE = Set.of(
            Object.class, String.class, Boolean.class, Byte.class, Character.class, Short.class,
            Integer.class, Long.class, Float.class, Double.class, Void.class, Number.class,
            BigInteger.class, BigDecimal.class, Class.class, StackTraceElement.class,
            StringBuilder.class, StringBuffer.class, UUID.class, Optional.class, OptionalInt.class,
            OptionalLong.class, OptionalDouble.class, Date.class, Locale.class, Currency.class,
            BitSet.class, URI.class);

    private final boolean strict;
    private final Set<String> classNames;
    private final List<String> packagePrefixes;

    private ClassPolicy(boolean strict, Set<String> classNames, List<String> packages) {
        this.strict = strict;
        this.classNames = classNames;
        this.packagePrefixes = packages.stream().map(p -> p + ".").toList();
    }

    /** The policy that allows every class. */
    public static ClassPolicy lenient() {
        return LENIENT;
    }

    /**
     * @param classNames binary names of the allowed classes
     * @param packages allowed packages (classes in them and in their sub-packages)
     */
    public static ClassPolicy strict(Set<String> classNames, List<String> packages) {
        return new ClassPolicy(true, Set.copyOf(classNames), List.copyOf(packages));
    }

    public boolean isStrict() {
        return strict;
    }

    /** Whether a class with this binary name is allowed without loading it. */
    public boolean allowsName(String name) {
        if (!strict || classNames.contains(name)) {
            return true;
        }
        for (String prefix : packagePrefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether values of this class may be decoded. */
    public boolean allows(Class<?> type) {
        if (!strict) {
            return true;
        }
        Class<?> c = type;
        while (c.isArray()) {
            c = c.getComponentType();
        }
        return c.isPrimitive() || allowsName(c.getName()) || isBaseline(c);
    }

    /**
     * @throws SerializationException if values of this class may not be decoded; for an array,
     *     the message names its element class
     */
    public void check(Class<?> type) {
        if (!allows(type)) {
            Class<?> element = type;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            throw new SerializationException(notAllowedMessage(element.getName()));
        }
    }

    static String notAllowedMessage(String name) {
        String literal = name.replace('$', '.');
        int dot = name.lastIndexOf('.');
        String pkg = dot > 0 ? name.substring(0, dot) : name;
        return "class " + name + " is not on the codec's allow-list; add it with Codec.builder().strict().allow("
                + literal + ".class) or .allowPackage(\"" + pkg + "\")";
    }

    /**
     * The strict-mode baseline: boxes, String and other JDK value types, java.time, paths, JDK
     * collections and maps (decoded by Kryo's or ipckit's collection serializers, whose element
     * classes are checked in turn), and JDK or ipckit exceptions (decoded field by field by
     * {@link ThrowableSerializer}, which runs no constructor).
     */
    static boolean isBaseline(Class<?> c) {
        if (BASELINE.contains(c)) {
            return true;
        }
        String name = c.getName();
        if (c.getPackageName().equals("java.time") || Charset.class.isAssignableFrom(c) || Path.class.isAssignableFrom(c)) {
            return true;
        }
        if (name.startsWith("java.util.") && (Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c))) {
            return true;
        }
        return Throwable.class.isAssignableFrom(c) && (name.startsWith("java.") || name.startsWith("io.ipckit."));
    }

    @Override
    public String toString() {
        return strict ? "strict" + classNames + packagePrefixes : "lenient";
    }
}
