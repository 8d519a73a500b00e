package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Serializes {@code Object[]}, the payload of a pool's chunk and of its results, writing the class of the
 * items once when they all have the same class (a chunk of {@code Long}s, of {@code String}s, of records)
 * instead of once per item as Kryo's own array serializer does. Writing and reading a class per item was
 * most of a {@code map}'s codec time. Shared references and cycles through the array or its items are kept,
 * as with Kryo's serializer. Thread role: that of the Kryo instance it belongs to.
 *
 * <pre>
 *   varint length | byte form | form SAME: class, then each item without its class
 *                             | form MIXED: each item with its class (or null)
 * </pre>
 */
final class ObjectArraySerializer extends Serializer<Object[]> {
    private static final byte MIXED = 0;
    private static final byte SAME = 1;

    ObjectArraySerializer() {
        super(false, false);
    }

    @Override
    public void write(Kryo kryo, Output out, Object[] array) {
        out.writeVarInt(array.length, true);
        Class<?> same = sameClass(array);
        if (same == null) {
            out.writeByte(MIXED);
            for (Object item : array) {
                kryo.writeClassAndObject(out, item);
            }
            return;
        }
        out.writeByte(SAME);
        Serializer<?> serializer = kryo.writeClass(out, same).getSerializer();
        for (Object item : array) {
            kryo.writeObject(out, item, serializer);
        }
    }

    /** The class of every item, or null when an item is null, the classes differ or the array is empty. */
    private static Class<?> sameClass(Object[] array) {
        if (array.length == 0 || array[0] == null) {
            return null;
        }
        Class<?> type = array[0].getClass();
        for (int i = 1; i < array.length; i++) {
            Object item = array[i];
            if (item == null || item.getClass() != type) {
                return null;
            }
        }
        return type;
    }

    @Override
    public Object[] read(Kryo kryo, Input in, Class<? extends Object[]> type) {
        int length = in.readVarInt(true);
        if (length > in.limit() - in.position() && in.getInputStream() == null) {
            throw new IllegalArgumentException("array length " + length + " exceeds the remaining input");
        }
        Object[] array = new Object[length];
        kryo.reference(array); // before the items, which may refer back to it
        byte form = in.readByte();
        if (form == MIXED) {
            for (int i = 0; i < length; i++) {
                array[i] = kryo.readClassAndObject(in);
            }
        } else if (form == SAME) {
            Registration registration = kryo.readClass(in);
            if (registration == null) {
                throw new IllegalArgumentException("corrupt input: an array's item class is null");
            }
            Class<?> itemType = registration.getType();
            Serializer<?> serializer = registration.getSerializer();
            for (int i = 0; i < length; i++) {
                array[i] = kryo.readObject(in, itemType, serializer);
            }
        } else {
            throw new IllegalArgumentException("corrupt input: unknown array form " + form);
        }
        return array;
    }
}
