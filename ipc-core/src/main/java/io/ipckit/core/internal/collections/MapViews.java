package io.ipckit.core.internal.collections;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The key, value and entry views of a remote {@link ConcurrentMap}, backed by the map as
 * {@code ConcurrentHashMap}'s are: {@code size}, {@code contains}, {@code remove} and {@code clear} are
 * the map's own atomic operations; an iterator walks a snapshot taken when it is created (weakly
 * consistent) and its {@code remove} removes the key from the map; an entry's {@code setValue} puts.
 * Bulk operations ({@code removeAll}, {@code retainAll}, {@code removeIf}) walk one snapshot and remove
 * entry by entry, each removal atomic, the whole not (as {@code ConcurrentHashMap}'s); for the values and
 * entries, a removal chosen by value ({@code remove(v)}, the bulk operations) is {@code remove(key, value)},
 * so an entry whose value changed since the snapshot stays (as {@code ConcurrentHashMap}'s
 * {@code removeValueIf}/{@code removeEntryIf}).
 *
 * @param <K> keys
 * @param <V> values
 */
public final class MapViews<K, V> {
    private final ConcurrentMap<K, V> map;
    private final Supplier<Map<K, V>> snapshot;

    /**
     * @param map      the map the views write through to
     * @param snapshot a copy of the whole map, taken atomically (one request)
     */
    public MapViews(ConcurrentMap<K, V> map, Supplier<Map<K, V>> snapshot) {
        this.map = map;
        this.snapshot = snapshot;
    }

    /** The keys: no {@code add} (as {@code ConcurrentHashMap.keySet()}). */
    public Set<K> keySet() {
        return new KeySet();
    }

    /** The values: no {@code add}; {@code remove(v)} removes one key mapped to {@code v}. */
    public Collection<V> values() {
        return new Values();
    }

    /** The entries: no {@code add}; {@code remove(e)} is {@code map.remove(key, value)}. */
    public Set<Map.Entry<K, V>> entrySet() {
        return new EntrySet();
    }

    /** Walks a snapshot's entries; {@code remove} removes the last key returned from the map. */
    private final class SnapshotIterator<T> implements Iterator<T> {
        private final Iterator<Map.Entry<K, V>> entries = new ArrayList<>(snapshot.get().entrySet()).iterator();
        private final Function<Map.Entry<K, V>, T> view;
        private K last;

        SnapshotIterator(Function<Map.Entry<K, V>, T> view) {
            this.view = view;
        }

        @Override
        public boolean hasNext() {
            return entries.hasNext();
        }

        @Override
        public T next() {
            if (!entries.hasNext()) {
                throw new NoSuchElementException();
            }
            Map.Entry<K, V> e = entries.next();
            last = e.getKey();
            return view.apply(e);
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("remove() without next(), or twice for one element");
            }
            map.remove(last);
            last = null;
        }
    }

    /** The base of the three views: what they share with the map. */
    private abstract class View<T> extends AbstractCollection<T> {
        abstract Function<Map.Entry<K, V>, T> view();

        abstract int characteristics();

        @Override
        public final Iterator<T> iterator() {
            return new SnapshotIterator<>(view());
        }

        @Override
        public final Spliterator<T> spliterator() {
            List<T> items = new ArrayList<>();
            snapshot.get().entrySet().forEach(e -> items.add(view().apply(e)));
            return Spliterators.spliterator(items, characteristics());
        }

        @Override
        public final int size() {
            return map.size();
        }

        @Override
        public final boolean isEmpty() {
            return map.isEmpty();
        }

        @Override
        public final void clear() {
            map.clear();
        }

        /** Whether removing this snapshot entry must find it unchanged ({@code remove(key, value)}). */
        abstract boolean byValue();

        @Override
        public final boolean removeIf(Predicate<? super T> filter) {
            Objects.requireNonNull(filter, "removeIf(null)");
            boolean removed = false;
            for (Map.Entry<K, V> e : snapshot.get().entrySet()) {
                if (filter.test(view().apply(e))) {
                    removed |= byValue() ? map.remove(e.getKey(), e.getValue()) : map.remove(e.getKey()) != null;
                }
            }
            return removed;
        }

        @Override
        public final boolean removeAll(Collection<?> c) {
            Objects.requireNonNull(c, "removeAll(null)");
            return removeIf(c::contains);
        }

        @Override
        public final boolean retainAll(Collection<?> c) {
            Objects.requireNonNull(c, "retainAll(null)");
            return removeIf(e -> !c.contains(e));
        }

        @Override
        public final Object[] toArray() {
            return snapshotList().toArray();
        }

        @Override
        public final <A> A[] toArray(A[] a) {
            return snapshotList().toArray(a);
        }

        private List<T> snapshotList() {
            List<T> items = new ArrayList<>();
            snapshot.get().entrySet().forEach(e -> items.add(view().apply(e)));
            return items;
        }
    }

    private final class KeySet extends View<K> implements Set<K> {
        @Override
        Function<Map.Entry<K, V>, K> view() {
            return Map.Entry::getKey;
        }

        @Override
        int characteristics() {
            return Spliterator.DISTINCT | Spliterator.NONNULL;
        }

        @Override
        boolean byValue() {
            return false;
        }

        @Override
        public boolean contains(Object o) {
            return map.containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            return map.remove(o) != null;
        }

        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof Set && sameSet(snapshot.get().keySet(), (Set<?>) o));
        }

        @Override
        public int hashCode() {
            return snapshot.get().keySet().hashCode();
        }
    }

    private final class Values extends View<V> {
        @Override
        Function<Map.Entry<K, V>, V> view() {
            return Map.Entry::getValue;
        }

        @Override
        int characteristics() {
            return Spliterator.NONNULL;
        }

        @Override
        boolean byValue() {
            return true;
        }

        @Override
        public boolean contains(Object o) {
            return map.containsValue(o);
        }

        /** Removes one key mapped to {@code o}: {@code remove(key, o)} for each candidate of one snapshot. */
        @Override
        public boolean remove(Object o) {
            if (o == null) {
                return false;
            }
            for (Map.Entry<K, V> e : snapshot.get().entrySet()) {
                if (o.equals(e.getValue()) && map.remove(e.getKey(), o)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final class EntrySet extends View<Map.Entry<K, V>> implements Set<Map.Entry<K, V>> {
        @Override
        Function<Map.Entry<K, V>, Map.Entry<K, V>> view() {
            return e -> new WriteThroughEntry(e.getKey(), e.getValue());
        }

        @Override
        int characteristics() {
            return Spliterator.DISTINCT | Spliterator.NONNULL;
        }

        @Override
        boolean byValue() {
            return true;
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            Object k = e.getKey();
            Object v = e.getValue();
            if (k == null || v == null) {
                return false;
            }
            Object current = map.get(k);
            return current != null && current.equals(v);
        }

        @Override
        public boolean remove(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            return e.getKey() != null && e.getValue() != null && map.remove(e.getKey(), e.getValue());
        }

        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof Set && sameSet(snapshot.get().entrySet(), (Set<?>) o));
        }

        @Override
        public int hashCode() {
            return snapshot.get().entrySet().hashCode();
        }
    }

    private static boolean sameSet(Set<?> mine, Set<?> other) {
        return mine.size() == other.size() && mine.containsAll(other);
    }

    /** An entry of the map: {@code setValue} puts the value in the map, as ConcurrentHashMap's does. */
    private final class WriteThroughEntry implements Map.Entry<K, V> {
        private final K key;
        private V value;

        WriteThroughEntry(K key, V value) {
            this.key = key;
            this.value = value;
        }

        @Override
        public K getKey() {
            return key;
        }

        @Override
        public V getValue() {
            return value;
        }

        /** Puts {@code value} under this key in the map (one request); returns the value this entry held. */
        @Override
        public V setValue(V value) {
            Objects.requireNonNull(value, "setValue(null): the map refuses null values");
            map.put(key, value);
            V previous = this.value;
            this.value = value;
            return previous;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            return key.equals(e.getKey()) && value.equals(e.getValue());
        }

        @Override
        public int hashCode() {
            return key.hashCode() ^ value.hashCode();
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }
}
