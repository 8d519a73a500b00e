package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.Codec;
import io.ipckit.core.SharedList;
import io.ipckit.core.internal.codec.ByReference;

import com.hazelcast.collection.IList;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A list on the cluster (Python's {@code m.list()} on several hosts): a Hazelcast {@code IList} of sealed
 * elements (one partition holds it, with its backups). Every change holds the list's key lock (an entry of
 * the locks IMap, as {@link ClusterLock}s) for the time of its cluster calls, so a bulk change
 * ({@code removeAll}, {@code retainAll}, {@code removeIf}, {@code replaceAll}, {@code sort}, {@code addAll})
 * reads, computes here and writes back atomically with respect to every other change, as
 * {@link SharedList} says; your predicate, operator or comparator runs here and is never sent. A holder
 * that dies releases the key lock as a {@link ClusterLock}'s holder does; a hold lasts at most
 * {@value #LEASE_SECONDS} s in any case. Reads ({@code get}, {@code size}, the iterators' snapshot) take no
 * lock; iterators and {@code subList} are {@code AbstractList}'s over this list, so a whole-list read sees
 * one element per call (a snapshot is {@link #snapshot()}).
 *
 * <p>Any thread of any process with the cluster address; a change is three cluster calls or more.
 *
 * @param <E> elements
 */
public final class ClusterList<E> extends AbstractList<E> implements SharedList<E>, ByReference {
    private static final long serialVersionUID = 1L;
    static final long LEASE_SECONDS = 60;
    /** The address it was got from, for its {@link #reference()}. */
    private volatile ClusterAddress origin;
    private final String name;
    private final String lockKey;
    private final IList<byte[]> items;
    private final IMap<String, Boolean> locks;
    private final Payloads payloads;

    private ClusterList(String name, IList<byte[]> items, IMap<String, Boolean> locks, Payloads payloads) {
        this.name = name;
        this.lockKey = "list:" + name;
        this.items = items;
        this.locks = locks;
        this.payloads = payloads;
    }

    /** The list {@code name} of the cluster that {@code hazelcast} is connected to, created empty on first use. */
    public static <E> ClusterList<E> create(HazelcastInstance hazelcast, Sealer sealer, Codec codec, String name) {
        Names.check("list", name);
        String what = "cluster list '" + name + "'";
        return new ClusterList<>(name, Guard.list(hazelcast.getList("ipckit.l." + name), what),
                Guard.map(hazelcast.getMap(Names.LOCKS), what), new Payloads(codec, sealer, "list:" + name));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public E get(int index) {
        return open(items.get(index));
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public E set(int index, E element) {
        return locked(() -> open(items.set(index, seal(element))));
    }

    @Override
    public void add(int index, E element) {
        locked(() -> {
            items.add(index, seal(element));
            return null;
        });
    }

    @Override
    public boolean add(E element) {
        return locked(() -> items.add(seal(element)));
    }

    @Override
    public E remove(int index) {
        return locked(() -> open(items.remove(index)));
    }

    @Override
    public void clear() {
        locked(() -> {
            items.clear();
            return null;
        });
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        List<byte[]> sealed = sealAll(c);
        return !sealed.isEmpty() && locked(() -> items.addAll(sealed));
    }

    @Override
    public boolean addAll(int index, Collection<? extends E> c) {
        List<byte[]> sealed = sealAll(c);
        return !sealed.isEmpty() && locked(() -> items.addAll(index, sealed));
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        Objects.requireNonNull(c, "c");
        return rewrite(all -> all.removeIf(c::contains));
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        Objects.requireNonNull(c, "c");
        return rewrite(all -> all.removeIf(e -> !c.contains(e)));
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        Objects.requireNonNull(filter, "filter");
        return rewrite(all -> all.removeIf(filter));
    }

    @Override
    public void replaceAll(UnaryOperator<E> operator) {
        Objects.requireNonNull(operator, "operator");
        rewrite(all -> {
            all.replaceAll(operator);
            return true;
        });
    }

    @Override
    public void sort(Comparator<? super E> c) {
        rewrite(all -> {
            all.sort(c);
            return true;
        });
    }

    /** The whole list, read in one cluster call (under no lock: consistent, as IList's own read is). */
    @Override
    public List<E> snapshot() {
        List<E> out = new ArrayList<>();
        for (byte[] b : new ArrayList<>(items)) {
            out.add(open(b));
        }
        return out;
    }

    /** {@code AbstractList}'s: one element per call, {@code remove} writing through. */
    @Override
    public Iterator<E> iterator() {
        return super.iterator();
    }

    @Override
    public ListIterator<E> listIterator() {
        return super.listIterator();
    }

    @Override
    public ListIterator<E> listIterator(int index) {
        return super.listIterator(index);
    }

    @Override
    public Spliterator<E> spliterator() {
        return snapshot().spliterator();
    }

    @Override
    public boolean containsAll(Collection<?> c) {
        return snapshot().containsAll(c);
    }

    /** Reads the list, lets {@code change} edit a copy, and writes it back when it says it changed: under the lock. */
    private boolean rewrite(Predicate<List<E>> change) {
        return locked(() -> {
            List<E> all = snapshot();
            if (!change.test(all)) {
                return false;
            }
            List<byte[]> sealed = sealAll(all);
            items.clear();
            items.addAll(sealed);
            return true;
        });
    }

    private <T> T locked(java.util.concurrent.Callable<T> change) {
        boolean interrupted = false;
        while (true) {
            try {
                if (locks.tryLock(lockKey, ClusterQueue.SLICE_MILLIS, TimeUnit.MILLISECONDS, LEASE_SECONDS, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            return change.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            locks.unlock(lockKey);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private byte[] seal(E e) {
        return payloads.seal(new ClusterValue.Box(e));
    }

    private List<byte[]> sealAll(Collection<? extends E> c) {
        List<byte[]> out = new ArrayList<>(c.size());
        for (E e : c) {
            out.add(seal(e));
        }
        return out;
    }

    private E open(byte[] sealed) {
        if (sealed == null) {
            return null;
        }
        ClusterValue.Box box = payloads.open(sealed);
        @SuppressWarnings("unchecked")
        E e = (E) box.value;
        return e;
    }

    /** Records the address this handle was got from, so that it can travel. Returns this. */
    ClusterList<E> withOrigin(ClusterAddress address) {
        this.origin = address;
        return this;
    }

    @Override
    public ByReference.Reference reference() {
        return new ClusterRef(ClusterRef.Kind.LIST, origin, name, 0, false);
    }

    /** Java serialization sends the reference too. */
    private Object writeReplace() {
        return reference();
    }
}
