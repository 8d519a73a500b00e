package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serializes JDK-internal collection and map classes that Kryo's collection serializers cannot
 * rebuild, because they are wrappers or views with no working {@code add}/{@code put}: the
 * {@code Collections.unmodifiable*}, {@code synchronized*} and {@code checked*} wrappers,
 * {@code keySet()}/{@code values()}/{@code subList()} views, {@code Collections.nCopies} and the
 * like. The elements are written; decoding rebuilds an equal-content plain collection (ArrayList,
 * LinkedHashSet, TreeSet with the same comparator, LinkedHashMap or TreeMap) and wraps it again
 * when the original was an unmodifiable or synchronized view. Shared references and cycles through
 * the collection are kept.
 */
final class JdkCollectionCopySerializer extends Serializer<Object> {

    /** JDK-internal classes that Kryo's own default serializers already handle. */
    private static final Set<Class<?>> KRYO_HANDLED = Set.of(
            Collections.emptyList().getClass(), Collections.emptySet().getClass(), Collections.emptyMap().getClass(),
            Collections.singletonList(null).getClass(), Collections.singleton(null).getClass(),
            Collections.singletonMap(null, null).getClass(), Arrays.asList().getClass());

    /** Used by Kryo for every class this serializer supports (see {@link #supports}). */
    static final SerializerFactory<JdkCollectionCopySerializer> FACTORY = new SerializerFactory<>() {
        @Override
        @SuppressWarnings("rawtypes") // Kryo's signature
        public JdkCollectionCopySerializer newSerializer(Kryo kryo, Class type) {
            return new JdkCollectionCopySerializer(type);
        }

        @Override
        @SuppressWarnings("rawtypes") // Kryo's signature
        public boolean isSupported(Class type) {
            return supports(type);
        }
    };

    private final CollectionShape shape;
    private final CollectionShape.Wrap wrap;

    private JdkCollectionCopySerializer(Class<?> type) {
        this.shape = CollectionShape.of(type);
        this.wrap = CollectionShape.wrapOf(type);
    }

    static boolean supports(Class<?> type) {
        if (!Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type)) {
            return false;
        }
        if (ConcurrentHashMap.KeySetView.class.isAssignableFrom(type)) {
            return true;
        }
        return type.getName().startsWith("java.util.")
                && !Modifier.isPublic(type.getModifiers())
                && !KRYO_HANDLED.contains(type)
                && !EnumSet.class.isAssignableFrom(type)
                && !type.getName().startsWith("java.util.ImmutableCollections$");
    }

    @Override
    public void write(Kryo kryo, Output out, Object value) {
        if (shape.isMap()) {
            Map<?, ?> map = (Map<?, ?>) value;
            if (shape.isSorted()) {
                kryo.writeClassAndObject(out, ((SortedMap<?, ?>) map).comparator());
            }
            Object[] entries = map.entrySet().toArray(); // one atomic snapshot for synchronized maps
            out.writeVarInt(entries.length, true);
            for (Object e : entries) {
                Map.Entry<?, ?> entry = (Map.Entry<?, ?>) e;
                kryo.writeClassAndObject(out, entry.getKey());
                kryo.writeClassAndObject(out, entry.getValue());
            }
        } else {
            Collection<?> collection = (Collection<?>) value;
            if (shape.isSorted()) {
                kryo.writeClassAndObject(out, ((SortedSet<?>) collection).comparator());
            }
            Object[] items = collection.toArray();
            out.writeVarInt(items.length, true);
            for (Object item : items) {
                kryo.writeClassAndObject(out, item);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object read(Kryo kryo, Input in, Class<?> type) {
        Comparator<?> comparator = shape.isSorted() ? (Comparator<?>) kryo.readClassAndObject(in) : null;
        Object inner = shape.newInstance(comparator);
        Object result = shape.wrap(inner, wrap);
        kryo.reference(result); // before the elements, which may refer back to it
        int size = in.readVarInt(true);
        if (shape.isMap()) {
            Map<Object, Object> map = (Map<Object, Object>) inner;
            for (int i = 0; i < size; i++) {
                Object key = kryo.readClassAndObject(in);
                map.put(key, kryo.readClassAndObject(in));
            }
        } else {
            Collection<Object> collection = (Collection<Object>) inner;
            for (int i = 0; i < size; i++) {
                collection.add(kryo.readClassAndObject(in));
            }
        }
        return result;
    }
}
