package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.Codec;
import io.ipckit.core.SerializableFunction;
import io.ipckit.core.SharedValue;
import io.ipckit.core.internal.codec.ByReference;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.util.Objects;

/**
 * A shared value on the cluster (Python's {@code m.Value(type, initial)}): one entry of an IMap holding the
 * value encoded and sealed, replicated to the node's backup count. {@code compareAndSet} compares values
 * with {@code equals} (a sealed payload's bytes differ each time) and replaces exactly the bytes it read
 * (Hazelcast's atomic {@code replace(key, old, new)}), so it is atomic across processes; {@code updateAndGet}
 * and {@code getAndUpdate} run their function here, in a compare-and-set loop (it may run more than once),
 * where a local manager runs it in the manager, once. Null is a value, as locally.
 *
 * <p>Any thread of any process with the cluster address; each call is one or two cluster calls.
 */
public final class ClusterValue<T> implements SharedValue<T>, ByReference {
    private static final long serialVersionUID = 1L;
    /** The IMap of every value, sealed. */
    static final String VALUES = "ipckit.values";
    /** The address it was got from, for its {@link #reference()}. */
    private volatile ClusterAddress origin;
    private final String name;
    private final IMap<String, byte[]> values;
    private final Payloads payloads;

    private ClusterValue(String name, IMap<String, byte[]> values, Payloads payloads) {
        this.name = name;
        this.values = values;
        this.payloads = payloads;
    }

    /** The value {@code name}, set to {@code initial} when it does not exist yet. One or two cluster calls. */
    public static <T> ClusterValue<T> create(HazelcastInstance hazelcast, Sealer sealer, Codec codec, String name, T initial) {
        Names.check("value", name);
        ClusterValue<T> v = new ClusterValue<>(name, Guard.map(hazelcast.getMap(VALUES), "cluster value '" + name + "'"),
                new Payloads(codec, sealer, "value:" + name));
        v.values.putIfAbsent(name, v.payloads.seal(new Box(initial)));
        return v;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public T get() {
        return open(values.get(name));
    }

    @Override
    public void set(T value) {
        values.set(name, payloads.seal(new Box(value)));
    }

    @Override
    public T getAndSet(T value) {
        return open(values.put(name, payloads.seal(new Box(value))));
    }

    @Override
    public boolean compareAndSet(T expect, T update) {
        byte[] current = values.get(name);
        if (!Objects.equals(open(current), expect)) {
            return false;
        }
        return values.replace(name, current, payloads.seal(new Box(update)));
    }

    @Override
    public T updateAndGet(SerializableFunction<? super T, ? extends T> f) {
        return update(f)[1];
    }

    @Override
    public T getAndUpdate(SerializableFunction<? super T, ? extends T> f) {
        return update(f)[0];
    }

    /** {previous, next} of one successful compare-and-set of {@code f}'s result. */
    @SuppressWarnings("unchecked")
    private T[] update(SerializableFunction<? super T, ? extends T> f) {
        Objects.requireNonNull(f, "f");
        while (true) {
            byte[] current = values.get(name);
            T previous = open(current);
            T next = f.apply(previous);
            if (values.replace(name, current, payloads.seal(new Box(next)))) {
                return (T[]) new Object[] {previous, next};
            }
        }
    }

    private T open(byte[] sealed) {
        if (sealed == null) {
            return null;
        }
        Box box = payloads.open(sealed);
        @SuppressWarnings("unchecked")
        T v = (T) box.value;
        return v;
    }

    /** Records the address this handle was got from, so that it can travel. Returns this. */
    ClusterValue<T> withOrigin(ClusterAddress address) {
        this.origin = address;
        return this;
    }

    @Override
    public ByReference.Reference reference() {
        return new ClusterRef(ClusterRef.Kind.VALUE, origin, name, 0, false);
    }

    /** Java serialization sends the reference too. */
    private Object writeReplace() {
        return reference();
    }

    @Override
    public String toString() {
        return "cluster value '" + name + "'";
    }

    /** A value, null included, as one codec payload. */
    static final class Box {
        final Object value;

        Box(Object value) {
            this.value = value;
        }
    }
}
