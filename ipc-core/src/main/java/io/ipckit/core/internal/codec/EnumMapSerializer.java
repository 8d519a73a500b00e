package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.ipckit.core.SerializationException;

import java.lang.reflect.Field;
import java.util.EnumMap;
import java.util.Map;

/**
 * Serializes any {@link EnumMap} (Kryo's serializer is bound to one key type): the key enum
 * class, then the entries with keys as ordinals.
 */
final class EnumMapSerializer extends Serializer<EnumMap<?, ?>> {

    /** EnumMap's private key type, needed for empty maps; null if java.util is not opened. */
    private static final Field KEY_TYPE = keyTypeField();

    private static Field keyTypeField() {
        try {
            Field f = EnumMap.class.getDeclaredField("keyType");
            return f.trySetAccessible() ? f : null;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void write(Kryo kryo, Output out, EnumMap<?, ?> map) {
        Object[] entries = map.entrySet().toArray();
        kryo.writeClass(out, keyType(map, entries));
        out.writeVarInt(entries.length, true);
        for (Object e : entries) {
            Map.Entry<?, ?> entry = (Map.Entry<?, ?>) e;
            out.writeVarInt(((Enum<?>) entry.getKey()).ordinal(), true);
            kryo.writeClassAndObject(out, entry.getValue());
        }
    }

    private static Class<?> keyType(EnumMap<?, ?> map, Object[] entries) {
        if (entries.length > 0) {
            return ((Enum<?>) ((Map.Entry<?, ?>) entries[0]).getKey()).getDeclaringClass();
        }
        if (KEY_TYPE == null) {
            throw new SerializationException("cannot encode an empty java.util.EnumMap: its key type is private to"
                    + " java.util; start the JVM with ipckit's flags, which include --add-opens=java.base/java.util=ALL-UNNAMED");
        }
        try {
            return (Class<?>) KEY_TYPE.get(map);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("field was opened: " + KEY_TYPE, e);
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public EnumMap<?, ?> read(Kryo kryo, Input in, Class<? extends EnumMap<?, ?>> type) {
        Class keyType = kryo.readClass(in).getType();
        Object[] constants = keyType.getEnumConstants();
        if (constants == null) {
            throw new SerializationException("corrupt input: EnumMap key type " + keyType.getName() + " is not an enum");
        }
        EnumMap map = new EnumMap(keyType);
        kryo.reference(map);
        int size = in.readVarInt(true);
        for (int i = 0; i < size; i++) {
            Object key = constants[in.readVarInt(true)];
            map.put(key, kryo.readClassAndObject(in));
        }
        return map;
    }
}
