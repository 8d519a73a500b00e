package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.internal.codec.ByReference;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.ipckit.cluster.ForgedPayloadException;
import io.ipckit.core.Codec;

import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * A map on the cluster (Python's {@code m.dict()} on several hosts): a Hazelcast
 * {@code IMap<String, byte[]>} whose key is the fingerprint of the encoded key
 * ({@link Sealer#fingerprint}, an HMAC: lookups work, key bytes stay sealed) and whose value is the sealed
 * encoding of key and value together. Entries live in the partitions of their fingerprints, with the
 * node's backup count of synchronous backups.
 *
 * <p>Any thread of any process with the cluster address. Every call is one or a few cluster calls, each
 * bounded by the client's invocation timeout. Nulls are refused (as {@code SharedMap}): a null key or value
 * throws {@link NullPointerException} naming the map. Conditional updates ({@code remove(k, v)},
 * {@code replace(k, old, new)}, and the {@code ConcurrentMap} defaults built on them: {@code compute},
 * {@code merge}...) compare decoded values with {@code equals}, then swap the exact stored bytes
 * atomically, retrying when another process changed the entry in between.
 *
 * <p>Keys must encode deterministically (equal keys give equal bytes): strings, numbers, records and
 * classes of such fields do; a {@code HashSet} key may not. The views are backed by the map; their
 * iterators walk a snapshot taken when they are made.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ClusterMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>, io.ipckit.core.SharedMap<K, V>, ByReference {
    private static final long serialVersionUID = 1L;
    /** The address it was got from, for its {@link #reference()}; null when made from a Hazelcast instance. */
    private volatile ClusterAddress origin;

    private final String name;
    private final IMap<String, byte[]> map;
    private final Payloads payloads;
    private final EntrySet entrySet = new EntrySet();

    private ClusterMap(String name, IMap<String, byte[]> map, Payloads payloads) {
        this.name = name;
        this.map = map;
        this.payloads = payloads;
    }

    /** The map {@code name} of the cluster that {@code hazelcast} is connected to; created on first use. */
    public static <K, V> ClusterMap<K, V> create(HazelcastInstance hazelcast, Sealer sealer, Codec codec, String name) {
        Names.check("map", name);
        return new ClusterMap<>(name, Guard.map(hazelcast.getMap("ipckit.m." + name), "cluster map '" + name + "'"),
                new Payloads(codec, sealer, "map:" + name));
    }

    public String name() {
        return name;
    }

    @Override
    public V get(Object key) {
        byte[] raw = map.get(fp(key, "get"));
        return raw == null ? null : valueOf(raw);
    }

    @Override
    public boolean containsKey(Object key) {
        return map.containsKey(fp(key, "containsKey"));
    }

    @Override
    public V put(K key, V value) {
        byte[] old = map.put(fp(key, "put"), seal(key, value, "put"));
        return old == null ? null : previous(old, "put", "the new value is stored in its place");
    }

    @Override
    public V putIfAbsent(K key, V value) {
        byte[] old = map.putIfAbsent(fp(key, "putIfAbsent"), seal(key, value, "putIfAbsent"));
        return old == null ? null : valueOf(old);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        Map<String, byte[]> batch = new HashMap<>();
        for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
            batch.put(fp(e.getKey(), "putAll"), seal(e.getKey(), e.getValue(), "putAll"));
        }
        map.putAll(batch);
    }

    @Override
    public V remove(Object key) {
        byte[] old = map.remove(fp(key, "remove"));
        return old == null ? null : previous(old, "remove", "the entry is removed");
    }

    @Override
    public boolean remove(Object key, Object value) {
        if (key == null || value == null) {
            return false;
        }
        String fp = fp(key, "remove");
        while (true) {
            byte[] raw = map.get(fp);
            if (raw == null || !value.equals(valueOf(raw))) {
                return false;
            }
            if (map.remove(fp, raw)) {
                return true;
            }
        }
    }

    @Override
    public V replace(K key, V value) {
        byte[] old = map.replace(fp(key, "replace"), seal(key, value, "replace"));
        return old == null ? null : previous(old, "replace", "the new value is stored in its place");
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        String fp = fp(key, "replace");
        Objects.requireNonNull(oldValue, () -> "cluster map '" + name + "' refuses null values (replace)");
        byte[] sealed = seal(key, newValue, "replace");
        while (true) {
            byte[] raw = map.get(fp);
            if (raw == null || !oldValue.equals(valueOf(raw))) {
                return false;
            }
            if (map.replace(fp, raw, sealed)) {
                return true;
            }
        }
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public void clear() {
        map.clear();
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return entrySet;
    }

    @Override
    public String toString() {
        return super.toString();
    }

    private String fp(Object key, String op) {
        Objects.requireNonNull(key, () -> "cluster map '" + name + "' refuses null keys (" + op + ")");
        return payloads.sealer().fingerprint(payloads.objectName(), payloads.encode(key));
    }

    /** Key and value encoded ({@code int keyLength, key, value}) and sealed. */
    private byte[] seal(Object key, Object value, String op) {
        Objects.requireNonNull(value, () -> "cluster map '" + name + "' refuses null values (" + op + ")");
        byte[] k = payloads.encode(key);
        byte[] v = payloads.encode(value);
        byte[] plain = ByteBuffer.allocate(4 + k.length + v.length).putInt(k.length).put(k).put(v).array();
        return payloads.sealer().seal(plain, payloads.objectName());
    }

    private Entry<K, V> entryOf(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(payloads.sealer().open(raw, payloads.objectName()));
        int kl = b.getInt();
        byte[] k = new byte[kl];
        b.get(k);
        byte[] v = new byte[b.remaining()];
        b.get(v);
        @SuppressWarnings("unchecked")
        K key = (K) payloads.decode(k);
        @SuppressWarnings("unchecked")
        V value = (V) payloads.decode(v);
        return new SimpleImmutableEntry<>(key, value);
    }

    /** The previous value a write returns; a forged one is reported after the write, which was done. */
    private V previous(byte[] raw, String op, String done) {
        try {
            return valueOf(raw);
        } catch (ForgedPayloadException e) {
            throw new ForgedPayloadException(e.getMessage() + " (" + op + ": " + done + ")", e);
        }
    }

    private V valueOf(byte[] raw) {
        return entryOf(raw).getValue();
    }

    /** The entries: backed by the map; its iterator walks a snapshot. */
    private final class EntrySet extends AbstractSet<Entry<K, V>> {
        @Override
        public Iterator<Entry<K, V>> iterator() {
            List<byte[]> raws = new ArrayList<>(map.values());
            Iterator<byte[]> it = raws.iterator();
            return new Iterator<>() {
                private K last;
                private boolean canRemove;

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Entry<K, V> next() {
                    if (!it.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Entry<K, V> e = entryOf(it.next());
                    last = e.getKey();
                    canRemove = true;
                    return new WriteThrough(e.getKey(), e.getValue());
                }

                @Override
                public void remove() {
                    if (!canRemove) {
                        throw new IllegalStateException("next() first, and remove() once per next()");
                    }
                    canRemove = false;
                    ClusterMap.this.remove(last);
                }
            };
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Entry<?, ?> e) || e.getKey() == null || e.getValue() == null) {
                return false;
            }
            V v = get(e.getKey());
            return v != null && v.equals(e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            return o instanceof Entry<?, ?> e && ClusterMap.this.remove(e.getKey(), e.getValue());
        }

        @Override
        public void clear() {
            map.clear();
        }
    }

    /** An entry whose {@code setValue} writes through to the map. */
    private final class WriteThrough extends SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        WriteThrough(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            put(getKey(), value);
            return super.setValue(value);
        }
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        V v = get(key);
        return v != null ? v : defaultValue;
    }

    /** A copy of the whole map, read entry by entry (not atomic across entries on a cluster). */
    @Override
    public java.util.Map<K, V> snapshot() {
        return new java.util.LinkedHashMap<>(this);
    }

    /** Records the address this handle was got from, so that it can travel. Returns this. */
    ClusterMap<K, V> withOrigin(ClusterAddress address) {
        this.origin = address;
        return this;
    }

    @Override
    public ByReference.Reference reference() {
        return new ClusterRef(ClusterRef.Kind.MAP, origin, name, 0, false);
    }

    /** Java serialization sends the reference too. */
    private Object writeReplace() {
        return reference();
    }
}
