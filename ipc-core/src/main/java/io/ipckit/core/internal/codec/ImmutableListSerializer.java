package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.util.Arrays;
import java.util.List;

/**
 * Serializes {@code List.of(...)}, {@code List.copyOf}, {@code Stream.toList()} and their
 * {@code subList}s. Unlike Kryo's serializer for these it accepts null elements, which
 * {@code Stream.toList()} allows: such a list decodes through {@code Stream.toList()} again,
 * any other through {@code List.of}.
 */
final class ImmutableListSerializer extends Serializer<List<?>> {

    /** The JDK classes behind the immutable lists. */
    static final List<Class<?>> TYPES = List.of(
            List.of().getClass(), List.of(1).getClass(), List.of(1, 2, 3).getClass(),
            List.of(1, 2, 3).subList(0, 2).getClass());

    ImmutableListSerializer() {
        super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output out, List<?> list) {
        out.writeVarInt(list.size(), true);
        for (Object item : list) {
            kryo.writeClassAndObject(out, item);
        }
    }

    @Override
    public List<?> read(Kryo kryo, Input in, Class<? extends List<?>> type) {
        int size = in.readVarInt(true);
        if (size > in.limit() - in.position()) {
            throw new IllegalArgumentException("list size " + size + " exceeds the remaining input");
        }
        Object[] items = new Object[size];
        boolean hasNull = false;
        for (int i = 0; i < size; i++) {
            items[i] = kryo.readClassAndObject(in);
            hasNull |= items[i] == null;
        }
        return hasNull ? Arrays.stream(items).toList() : List.of(items);
    }
}
