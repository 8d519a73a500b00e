package io.ipckit.core;

import io.ipckit.core.internal.codec.ByFields;
import io.ipckit.core.internal.manager.HandleRef;
import io.ipckit.core.internal.manager.ManagerClient;
import io.ipckit.core.internal.manager.Protocol;
import io.ipckit.core.internal.manager.handlers.MapHandler;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * A map hosted by a {@link Manager} (Python's {@code m.dict()}). Every call runs atomically in the
 * manager; the {@code ConcurrentMap} defaults ({@code compute}, {@code merge}...) are built on its atomic
 * {@code putIfAbsent}/{@code replace}. {@link #keySet()}, {@link #values()} and {@link #entrySet()}
 * return snapshots, as Python's proxies do. Keys and values travel by value through the codec.
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
        client.call(Protocol.MANAGER, name, Protocol.CREATE, MapHandler.KIND);
        return new SharedMap<>(new HandleRef(client.address(), MapHandler.KIND, name));
    }

    /** The map's name in its manager. */
    public String name() {
        return ref.name();
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        return (V) ref.call("get", key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getOrDefault(Object key, V defaultValue) {
        return (V) ref.call("getOrDefault", key, defaultValue);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        return (V) ref.call("put", key, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V putIfAbsent(K key, V value) {
        return (V) ref.call("putIfAbsent", key, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        return (V) ref.call("remove", key);
    }

    @Override
    public boolean remove(Object key, Object value) {
        return (Boolean) ref.call("removeIf", key, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V replace(K key, V value) {
        return (V) ref.call("replace", key, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return (Boolean) ref.call("replaceIf", key, oldValue, newValue);
    }

    @Override
    public boolean containsKey(Object key) {
        return (Boolean) ref.call("containsKey", key);
    }

    @Override
    public boolean containsValue(Object value) {
        return (Boolean) ref.call("containsValue", value);
    }

    @Override
    public int size() {
        return (Integer) ref.call("size");
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public void clear() {
        ref.call("clear");
    }

    /** Puts every entry in one atomic call. */
    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        ref.call("putAll", new LinkedHashMap<>(m));
    }

    /** A copy of the whole map, taken atomically. */
    @SuppressWarnings("unchecked")
    public Map<K, V> snapshot() {
        return (Map<K, V>) ref.call("snapshot");
    }

    /** A snapshot of the keys. */
    @Override
    @SuppressWarnings("unchecked")
    public Set<K> keySet() {
        return Collections.unmodifiableSet(new java.util.LinkedHashSet<>((List<K>) ref.call("keys")));
    }

    /** A snapshot of the values. */
    @Override
    public Collection<V> values() {
        return Collections.unmodifiableCollection(snapshot().values());
    }

    /** A snapshot of the entries. */
    @Override
    public Set<Entry<K, V>> entrySet() {
        return Collections.unmodifiableSet(snapshot().entrySet());
    }

    @Override
    public String toString() {
        return "SharedMap[" + ref.name() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Map && snapshot().equals(o));
    }

    @Override
    public int hashCode() {
        return snapshot().hashCode();
    }
}
