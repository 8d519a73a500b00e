package io.ipckit.core;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.Collection;
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
public interface SharedMap<K, V> extends ConcurrentMap<K, V>, Serializable {

    /** The map's name in its manager. */
    String name();

    /**
     * One request.
     *
     * @throws NullPointerException when {@code key} is null
     */
    V get(Object key);

    /**
     * One request ({@code defaultValue} stays in this process).
     *
     * @throws NullPointerException when {@code key} is null
     */
    V getOrDefault(Object key, V defaultValue);

    /**
     * One request.
     *
     * @throws NullPointerException when {@code key} or {@code value} is null
     */
    V put(K key, V value);

    /**
     * One request.
     *
     * @throws NullPointerException when {@code key} or {@code value} is null
     */
    V putIfAbsent(K key, V value);

    /**
     * One request.
     *
     * @throws NullPointerException when {@code key} is null
     */
    V remove(Object key);

    /**
     * One request; false at once when {@code value} is null.
     *
     * @throws NullPointerException when {@code key} is null
     */
    boolean remove(Object key, Object value);

    /**
     * One request.
     *
     * @throws NullPointerException when {@code key} or {@code value} is null
     */
    V replace(K key, V value);

    /**
     * One request.
     *
     * @throws NullPointerException when any argument is null
     */
    boolean replace(K key, V oldValue, V newValue);

    /**
     * One request.
     *
     * @throws NullPointerException when {@code key} is null
     */
    boolean containsKey(Object key);

    /**
     * One request (a scan in the manager).
     *
     * @throws NullPointerException when {@code value} is null
     */
    boolean containsValue(Object value);

    /** One request. */
    int size();

    /** One request. */
    boolean isEmpty();

    /** One request. */
    void clear();

    /**
     * Puts every entry in one atomic request.
     *
     * @throws NullPointerException when {@code m} holds a null key or value (nothing is put)
     */
    void putAll(Map<? extends K, ? extends V> m);

    /**
     * {@code ConcurrentMap}'s default: {@code get}, then {@code putIfAbsent} when absent (the function runs
     * here, at most once, and is not called when the key is present).
     *
     * @throws NullPointerException when {@code key} or the function is null
     */
    @Override
    default V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        return ConcurrentMap.super.computeIfAbsent(key, mappingFunction);
    }

    /**
     * {@code ConcurrentMap}'s default: {@code get}, then an atomic {@code replace} or {@code remove(key,
     * value)}, retried when another caller changed the value (the function may run more than once).
     *
     * @throws NullPointerException when {@code key} or the function is null
     */
    @Override
    default V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        return ConcurrentMap.super.computeIfPresent(key, remappingFunction);
    }

    /**
     * {@code ConcurrentMap}'s default: {@code get}, then an atomic {@code putIfAbsent}, {@code replace}
     * or {@code remove(key, value)}, retried on contention (the function may run more than once).
     *
     * @throws NullPointerException when {@code key} or the function is null
     */
    @Override
    default V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        return ConcurrentMap.super.compute(key, remappingFunction);
    }

    /**
     * {@code ConcurrentMap}'s default: {@code get}, then an atomic {@code putIfAbsent}, {@code replace}
     * or {@code remove(key, value)}, retried on contention (the function may run more than once).
     *
     * @throws NullPointerException when {@code key}, {@code value} or the function is null
     */
    @Override
    default V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        return ConcurrentMap.super.merge(key, value, remappingFunction);
    }

    /** A detached copy of the whole map, taken atomically (one request). */
    Map<K, V> snapshot();

    /** The keys, backed by the map (see the class comment for what each operation costs). */
    Set<K> keySet();

    /** The values, backed by the map (see the class comment for what each operation costs). */
    Collection<V> values();

    /** The entries, backed by the map (see the class comment for what each operation costs). */
    Set<Entry<K, V>> entrySet();
}
