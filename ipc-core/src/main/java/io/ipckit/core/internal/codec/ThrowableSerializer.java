package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.objenesis.instantiator.ObjectInstantiator;
import org.objenesis.strategy.StdInstantiatorStrategy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serializes any {@link Throwable} (Kryo's field serializer cannot on Java 17): exact class,
 * message, stack trace, cause chain, suppressed exceptions, and the non-static non-transient
 * fields declared by subclasses. Decoding runs no constructor: the instance comes from Objenesis
 * and Throwable's private fields are set reflectively. One instance per exception class.
 *
 * <p>Subclass fields go by name, so a reader whose class lacks a field skips it. A subclass field
 * that cannot be made accessible (a JDK exception in a package not opened to ipckit) is left out;
 * a field hidden by a same-named field of a subclass is left out too, and so is the enclosing
 * instance ({@code this$0}) of an inner or anonymous exception class.
 */
final class ThrowableSerializer extends Serializer<Throwable> {

    /** The factory Kryo uses for every Throwable class, except ones that serialize themselves. */
    static final SerializerFactory<ThrowableSerializer> FACTORY = new SerializerFactory<>() {
        @Override
        @SuppressWarnings({"rawtypes", "unchecked"}) // Kryo's signature; only called for Throwable classes
        public ThrowableSerializer newSerializer(Kryo kryo, Class type) {
            return new ThrowableSerializer(type);
        }

        @Override
        @SuppressWarnings("rawtypes") // Kryo's signature
        public boolean isSupported(Class type) {
            return !KryoSerializable.class.isAssignableFrom(type);
        }
    };

    private static final int CAUSE_UNSET = 0;
    private static final int CAUSE_SET = 1;

    private final Class<? extends Throwable> type;
    private final Map<String, Field> fields;
    private ObjectInstantiator<? extends Throwable> instantiator;

    ThrowableSerializer(Class<? extends Throwable> type) {
        this.type = type;
        this.fields = declaredFields(type);
    }

    /** Subclass fields by name, most derived first; fields that cannot be opened are left out. */
    private static Map<String, Field> declaredFields(Class<?> type) {
        Map<String, Field> result = new LinkedHashMap<>();
        for (Class<?> c = type; c != null && c != Throwable.class; c = c.getSuperclass()) {
            List<Field> declared = new ArrayList<>(List.of(c.getDeclaredFields()));
            declared.sort(Comparator.comparing(Field::getName));
            for (Field f : declared) {
                int mod = f.getModifiers();
                if (!Modifier.isStatic(mod) && !Modifier.isTransient(mod) && !isOuterInstance(f)
                        && !result.containsKey(f.getName()) && trySetAccessible(f)) {
                    result.put(f.getName(), f);
                }
            }
        }
        return result;
    }

    /** The enclosing instance of an inner or anonymous exception class: rarely wanted, often unsendable. */
    private static boolean isOuterInstance(Field f) {
        return f.isSynthetic() && f.getName().startsWith("this$");
    }

    private static boolean trySetAccessible(Field f) {
        try {
            return f.trySetAccessible();
        } catch (SecurityException e) {
            return false;
        }
    }

    @Override
    public void write(Kryo kryo, Output out, Throwable t) {
        ThrowableFields.requireAccess("encode", type);
        out.writeString((String) ThrowableFields.get(ThrowableFields.DETAIL_MESSAGE, t));

        StackTraceElement[] trace = t.getStackTrace(); // materializes the trace from the backtrace
        boolean writable = ThrowableFields.get(ThrowableFields.STACK_TRACE, t) != null;
        StackTraceCodec.write(out, writable ? trace : null);

        Object cause = ThrowableFields.get(ThrowableFields.CAUSE, t);
        if (cause == t) {
            out.writeVarInt(CAUSE_UNSET, true);
        } else {
            out.writeVarInt(CAUSE_SET, true);
            kryo.writeClassAndObject(out, cause);
        }

        List<?> suppressed = (List<?>) ThrowableFields.get(ThrowableFields.SUPPRESSED, t);
        if (suppressed == null) {
            out.writeVarInt(0, true); // suppression disabled
        } else {
            Object[] items = suppressed.toArray();
            out.writeVarInt(items.length + 1, true);
            for (Object s : items) {
                kryo.writeClassAndObject(out, s);
            }
        }

        out.writeVarInt(fields.size(), true);
        for (Field f : fields.values()) {
            out.writeString(f.getName());
            kryo.writeClassAndObject(out, ThrowableFields.get(f, t));
        }
    }

    @Override
    public Throwable read(Kryo kryo, Input in, Class<? extends Throwable> ignored) {
        ThrowableFields.requireAccess("decode", type);
        if (instantiator == null) {
            instantiator = new StdInstantiatorStrategy().newInstantiatorOf(type);
        }
        Throwable t = instantiator.newInstance();
        kryo.reference(t); // before the cause and suppressed, which may refer back to t
        ThrowableFields.set(ThrowableFields.DETAIL_MESSAGE, t, in.readString());
        ThrowableFields.set(ThrowableFields.STACK_TRACE, t, StackTraceCodec.read(in));

        int causeTag = in.readVarInt(true);
        Object cause = causeTag == CAUSE_UNSET ? t : (Throwable) kryo.readClassAndObject(in);
        ThrowableFields.set(ThrowableFields.CAUSE, t, cause);

        int suppressedTag = in.readVarInt(true);
        List<Object> suppressed;
        if (suppressedTag == 0) {
            suppressed = null;
        } else if (suppressedTag == 1) {
            @SuppressWarnings("unchecked")
            List<Object> sentinel = (List<Object>) ThrowableFields.SUPPRESSED_SENTINEL;
            suppressed = sentinel;
        } else {
            int count = suppressedTag - 1;
            suppressed = new ArrayList<>(Math.min(count, 16));
            for (int i = 0; i < count; i++) {
                suppressed.add((Throwable) kryo.readClassAndObject(in));
            }
        }
        ThrowableFields.set(ThrowableFields.SUPPRESSED, t, suppressed);

        int fieldCount = in.readVarInt(true);
        for (int i = 0; i < fieldCount; i++) {
            String name = in.readString();
            Object value = kryo.readClassAndObject(in);
            Field f = fields.get(name);
            if (f != null) {
                ThrowableFields.set(f, t, value);
            }
        }
        return t;
    }
}
