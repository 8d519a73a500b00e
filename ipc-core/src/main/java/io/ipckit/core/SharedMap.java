package io.ipckit.core;

import io.ipckit.core.internal.codec.ByFields;
import io.ipckit.core.internal.collections.MapViews;
import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.protocol.MapProtocol;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A map hosted by a {@link Manager} (Python's {@code m.dict()}), keeping the {@code ConcurrentMap}
 * contract as {@code ConcurrentHashMap} does. Every call runs atomically in the manager as one request;
 * the {@code ConcurrentMap} defaults ({@code computeIfAbsent}, {@code compute}, {@code computeIfPresent},
 * {@code merge}, {@code replaceAll}) are built on its atomic {@code get}/{@code putIfAbsent}/{@code replace}/
 * {@code remove(key, value)}, so the function runs in the caller's process, may run more than once
 * under contention, and need not be serializable. Keys and values travel by value through the codec.
 *
 * <p><b>Nulls are refused</b>, as by {@code ConcurrentHashMap}: a null key or value given to any method
 * ({@code put}, {@code get}, {@code containsKey}, {@code containsValue}, {@code remove(key)},
 * {@code replace}, {@code putAll}...) throws {@link NullPointerException} naming the map, and the map is
 * unchanged; {@code remove(key, null)} returns false. {@code get} returning null therefore always means
 * "absent". Store {@code Optional} or a sentinel to record "no value".
 *
 * <p><b>Views.</b> {@link #keySet()}, {@link #values()} and {@link #entrySet()} are backed by the map, as
 * {@code ConcurrentHashMap}'s are: their {@code size}, {@code isEmpty}, {@code contains}, {@code remove}
 * and {@code clear} are one atomic request each to the manager (entry-set {@code remove(e)} is
 * {@code remove(key, value)}); they do not support {@code add}. Their iterators, spliterators, streams and
 * {@code toArray} walk one snapshot of the whole map, taken by one request when they are created
 * (weakly consistent: never a {@code ConcurrentModificationException}, changes made afterwards may not
 * be seen). {@code Iterator.remove} removes the last key returned from the map (one request, as
 * {@code ConcurrentHashMap}'s does, whatever its value is by then); {@code Map.Entry.setValue} on an
 * entry of an iterator puts the new value in the map (one request). Bulk view operations
 * ({@code removeAll}, {@code retainAll}, {@code removeIf}) walk one snapshot and remove key by key: each
 * removal is atomic, the whole is not; when chosen by value ({@code values()} and {@code entrySet()}, and
 * {@code values().remove(v)}) a removal is {@code remove(key, value)}, so an entry whose value changed
 * since the snapshot stays. {@link #snapshot()} is a detached copy.
 *
 * <p>{@code toString}, {@code equals} and {@code hashCode} are {@code AbstractMap}'s
 * ({@code {a=1, b=2}}), computed on one snapshot.
 *
 * <p>Safe for any thread of any process; serializable (pass it to another JVM and use it there). Each
 * call blocks until the manager answers and throws {@link ManagerGoneException} when it is gone.
 *
 * @param <K> keys
 * @param <V> values
 */
public final class SharedMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>, Serializable, ByFields {
    private static final long serialVersionUID = 1L;
    private final HandleRef ref;

    private SharedMap(HandleRef ref) {
        this.ref = ref;
    }

    static <K, V> SharedMap<K, V> create(ManagerClient client, String name) {
        return new SharedMap<>(HandleRef.create(client, MapProtocol.CREATE, name));
    }

    /** The map's name in its manager. */
    public String name() {
        return ref.name();
    }

    /**
     * One request.
     *
     * @throws NullPointerException when {@code key} is null
     */
    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        return (V) ref.call(MapProtocol.GET, key(key, "get"));
    }

    /**
     * One request ({@code defaultValue} stays in this process).
     *
     * @throws NullPointerException when {@code key} is null
     */
    @Override
    public V getOrDefault(Object key, V defaultValue) {
        V v = get(key);
        return v == null ? defaultValue : v;
    }

    /**
     * One request.
     *
     * @throws NullPointerException when {@code key} or {@code value} is null
     */
    @Override
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        return (V) ref.call(MapProtocol.PUT, key(key, "put"), value(value, "put"));
    }

    /**
     * One request.
     *
     * @throws NullPointerException when {@code key} or {@code value} is null
     */
    @Override
    @SuppressWarnings("unchecked")
    public V putIfAbsent(K key, V value) {
        return (V) ref.call(MapProtocol.PUT_IF_ABSENT, key(key, "putIfAbsent"), value(value, "putIfAbsent"));
    }

    /**
     * One request.
     *
     * @throws NullPointerException when {@code key} is null
     */
    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        return (V) ref.call(MapProtocol.REMOVE, key(key, "remove"));
    }

    /**
     * One request; false at once when {@code value} is null.
     *
     * @throws NullPointerException when {@code key} is null
     */
    @Override
    public boolean remove(Object key, Object value) {
        key(key, "remove");
        return value != null && (Boolean) ref.call(MapProtocol.REMOVE_IF, key, value);
    }

    /**
     * One request.
     *
     * @throws NullPointerException when {@code key} or {@code value} is null
     */
    @Override
    @SuppressWarnings("unchecked")
    public V replace(K key, V value) {
        return (V) ref.call(MapProtocol.REPLACE, key(key, "replace"), value(value, "replace"));
    }

    /**
     * One request.
     *
     * @throws NullPointerException when any argument is null
     */
    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return (Boolean) ref.call(MapProtocol.REPLACE_IF, key(key, "replace"), value(oldValue, "replace"),
                value(newValue, "replace"));
    }

    /**
     * One request.
     *
     * @throws NullPointerException when {@code key} is null
     */
    @Override
    public boolean containsKey(Object key) {
        return (Boolean) ref.call(MapProtocol.CONTAINS_KEY, key(key, "containsKey"));
    }

    /**
     * One request (a scan in the manager).
     *
     * @throws NullPointerException when {@code value} is null
     */
    @Override
    public boolean containsValue(Object value) {
        return (Boolean) ref.call(MapProtocol.CONTAINS_VALUE, value(value, "containsValue"));
    }

    /** One request. */
    @Override
    public int size() {
        return (Integer) ref.call(MapProtocol.SIZE);
    }

    /** One request. */
    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    /** One request. */
    @Override
    public void clear() {
        ref.call(MapProtocol.CLEAR);
    }

    /**
     * Puts every entry in one atomic request.
     *
     * @throws NullPointerException when {@code m} holds a null key or value (nothing is put)
     */
    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        LinkedHashMap<K, V> all = new LinkedHashMap<>(m);
        all.forEach((k, v) -> {
            key(k, "putAll");
            value(v, "putAll");
        });
        ref.call(MapProtocol.PUT_ALL, all);
    }

    /**
     * {@code ConcurrentMap}'s default: {@code get}, then {@code putIfAbsent} when absent (the function runs
     * here, at most once, and is not called when the key is present).
     *
     * @throws NullPointerException when {@code key} or the function is null
     */
    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        key(key, "computeIfAbsent");
        return ConcurrentMap.super.computeIfAbsent(key, mappingFunction);
    }

    /**
     * {@code ConcurrentMap}'s default: {@code get}, then an atomic {@code replace} or {@code remove(key,
     * value)}, retried when another caller changed the value (the function may run more than once).
     *
     * @throws NullPointerException when {@code key} or the function is null
     */
    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        key(key, "computeIfPresent");
        return ConcurrentMap.super.computeIfPresent(key, remappingFunction);
    }

    /**
     * {@code ConcurrentMap}'s default: {@code get}, then an atomic {@code putIfAbsent}, {@code replace}
     * or {@code remove(key, value)}, retried on contention (the function may run more than once).
     *
     * @throws NullPointerException when {@code key} or the function is null
     */
    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        key(key, "compute");
        return ConcurrentMap.super.compute(key, remappingFunction);
    }

    /**
     * {@code ConcurrentMap}'s default: {@code get}, then an atomic {@code putIfAbsent}, {@code replace}
     * or {@code remove(key, value)}, retried on contention (the function may run more than once).
     *
     * @throws NullPointerException when {@code key}, {@code value} or the function is null
     */
    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        key(key, "merge");
        value(value, "merge");
        return ConcurrentMap.super.merge(key, value, remappingFunction);
    }

    /** A detached copy of the whole map, taken atomically (one request). */
    @SuppressWarnings("unchecked")
    public Map<K, V> snapshot() {
        return (Map<K, V>) ref.call(MapProtocol.SNAPSHOT);
    }

    /** The keys, backed by the map (see the class comment for what each operation costs). */
    @Override
    public Set<K> keySet() {
        return views().keySet();
    }

    /** The values, backed by the map (see the class comment for what each operation costs). */
    @Override
    public Collection<V> values() {
        return views().values();
    }

    /** The entries, backed by the map (see the class comment for what each operation costs). */
    @Override
    public Set<Entry<K, V>> entrySet() {
        return views().entrySet();
    }

    private MapViews<K, V> views() {
        return new MapViews<>(this, this::snapshot);
    }

    /** {@code AbstractMap}'s form, {@code {a=1, b=2}}, of one snapshot. */
    @Override
    public String toString() {
        return snapshot().toString();
    }

    /** {@code Map.equals}, against one snapshot (of each map, when {@code o} is a shared map too). */
    @Override
    public boolean equals(Object o) {
        if (o instanceof SharedMap) {
            return o == this || snapshot().equals(((SharedMap<?, ?>) o).snapshot());
        }
        return o instanceof Map && snapshot().equals(o);
    }

    /** {@code Map.hashCode}, of one snapshot. */
    @Override
    public int hashCode() {
        return snapshot().hashCode();
    }

    private <T> T key(T key, String op) {
        if (key == null) {
            throw new NullPointerException(ref + "." + op + ": null key; a shared map refuses null keys and values"
                    + " (as ConcurrentHashMap does): use Optional or a sentinel value");
        }
        return key;
    }

    private <T> T value(T value, String op) {
        if (value == null) {
            throw new NullPointerException(ref + "." + op + ": null value; a shared map refuses null keys and values"
                    + " (as ConcurrentHashMap does): use Optional or a sentinel value");
        }
        return value;
    }
}
