package io.ipckit.core.internal.local;

import io.ipckit.core.Manager;
import io.ipckit.core.SharedMap;

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
 * {@link SharedMap} on the local backend: a handle on an object of a {@link Manager} of this host, which
 * reaches it through the manager's space. Made by {@link LocalBackend}; the contract is {@link SharedMap}'s.
 */
public final class LocalMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>, Serializable, ByFields, SharedMap<K, V> {
    private static final long serialVersionUID = 1L;
    private final HandleRef ref;

    private LocalMap(HandleRef ref) {
        this.ref = ref;
    }

    public static <K, V> LocalMap<K, V> create(ManagerClient client, String name) {
        return new LocalMap<>(HandleRef.create(client, MapProtocol.CREATE, name));
    }

    @Override
    public String name() {
        return ref.name();
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        return (V) ref.call(MapProtocol.GET, key(key, "get"));
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        V v = get(key);
        return v == null ? defaultValue : v;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        return (V) ref.call(MapProtocol.PUT, key(key, "put"), value(value, "put"));
    }

    @Override
    @SuppressWarnings("unchecked")
    public V putIfAbsent(K key, V value) {
        return (V) ref.call(MapProtocol.PUT_IF_ABSENT, key(key, "putIfAbsent"), value(value, "putIfAbsent"));
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        return (V) ref.call(MapProtocol.REMOVE, key(key, "remove"));
    }

    @Override
    public boolean remove(Object key, Object value) {
        key(key, "remove");
        return value != null && (Boolean) ref.call(MapProtocol.REMOVE_IF, key, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V replace(K key, V value) {
        return (V) ref.call(MapProtocol.REPLACE, key(key, "replace"), value(value, "replace"));
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return (Boolean) ref.call(MapProtocol.REPLACE_IF, key(key, "replace"), value(oldValue, "replace"),
                value(newValue, "replace"));
    }

    @Override
    public boolean containsKey(Object key) {
        return (Boolean) ref.call(MapProtocol.CONTAINS_KEY, key(key, "containsKey"));
    }

    @Override
    public boolean containsValue(Object value) {
        return (Boolean) ref.call(MapProtocol.CONTAINS_VALUE, value(value, "containsValue"));
    }

    @Override
    public int size() {
        return (Integer) ref.call(MapProtocol.SIZE);
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public void clear() {
        ref.call(MapProtocol.CLEAR);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        LinkedHashMap<K, V> all = new LinkedHashMap<>(m);
        all.forEach((k, v) -> {
            key(k, "putAll");
            value(v, "putAll");
        });
        ref.call(MapProtocol.PUT_ALL, all);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        key(key, "computeIfAbsent");
        return SharedMap.super.computeIfAbsent(key, mappingFunction);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        key(key, "computeIfPresent");
        return SharedMap.super.computeIfPresent(key, remappingFunction);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        key(key, "compute");
        return SharedMap.super.compute(key, remappingFunction);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        key(key, "merge");
        value(value, "merge");
        return SharedMap.super.merge(key, value, remappingFunction);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<K, V> snapshot() {
        return (Map<K, V>) ref.call(MapProtocol.SNAPSHOT);
    }

    @Override
    public Set<K> keySet() {
        return views().keySet();
    }

    @Override
    public Collection<V> values() {
        return views().values();
    }

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
        if (o instanceof LocalMap) {
            return o == this || snapshot().equals(((LocalMap<?, ?>) o).snapshot());
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
