package io.ipckit.core.internal.local;

import io.ipckit.core.Manager;
import io.ipckit.core.SharedList;

import io.ipckit.core.internal.codec.ByFields;
import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.protocol.ListProtocol;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * {@link SharedList} on the local backend: a handle on an object of a {@link Manager} of this host, which
 * reaches it through the manager's space. Made by {@link LocalBackend}; the contract is {@link SharedList}'s.
 */
public final class LocalList<E> extends AbstractList<E> implements RandomAccess, Serializable, ByFields, SharedList<E> {
    private static final long serialVersionUID = 1L;
    /** Attempts of a bulk change before it gives up with a ConcurrentModificationException. */
    private static final int ATTEMPTS = 50;
    private final HandleRef ref;

    private LocalList(HandleRef ref) {
        this.ref = ref;
    }

    public static <E> LocalList<E> create(ManagerClient client, String name) {
        return new LocalList<>(HandleRef.create(client, ListProtocol.CREATE, name));
    }

    @Override
    public String name() {
        return ref.name();
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        return (E) ref.call(ListProtocol.GET, index);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E set(int index, E element) {
        return (E) ref.call(ListProtocol.SET, index, element);
    }

    @Override
    public boolean add(E e) {
        return (Boolean) ref.call(ListProtocol.ADD, e);
    }

    @Override
    public void add(int index, E element) {
        ref.call(ListProtocol.INSERT, index, element);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E remove(int index) {
        return (E) ref.call(ListProtocol.REMOVE_AT, index);
    }

    @Override
    public boolean remove(Object o) {
        return (Boolean) ref.call(ListProtocol.REMOVE, o);
    }

    @Override
    public int indexOf(Object o) {
        return (Integer) ref.call(ListProtocol.INDEX_OF, o);
    }

    @Override
    public int lastIndexOf(Object o) {
        return (Integer) ref.call(ListProtocol.LAST_INDEX_OF, o);
    }

    @Override
    public boolean contains(Object o) {
        return (Boolean) ref.call(ListProtocol.CONTAINS, o);
    }

    @Override
    public int size() {
        return (Integer) ref.call(ListProtocol.SIZE);
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public void clear() {
        ref.call(ListProtocol.CLEAR);
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        return (Boolean) ref.call(ListProtocol.ADD_ALL, new ArrayList<>(c));
    }

    @Override
    public boolean addAll(int index, Collection<? extends E> c) {
        return (Boolean) ref.call(ListProtocol.ADD_ALL_AT, index, new ArrayList<>(c));
    }

    /** Removes {@code [from, to)} in one atomic request (a sub-list's {@code clear}). */
    @Override
    protected void removeRange(int fromIndex, int toIndex) {
        ref.call(ListProtocol.REMOVE_RANGE, fromIndex, toIndex);
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        Objects.requireNonNull(c, "removeAll(null)");
        return change("removeAll", items -> items.removeIf(c::contains));
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        Objects.requireNonNull(c, "retainAll(null)");
        return change("retainAll", items -> items.removeIf(e -> !c.contains(e)));
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        Objects.requireNonNull(filter, "removeIf(null)");
        return change("removeIf", items -> items.removeIf(filter));
    }

    @Override
    public void replaceAll(UnaryOperator<E> operator) {
        Objects.requireNonNull(operator, "replaceAll(null)");
        change("replaceAll", items -> {
            items.replaceAll(operator);
            return true;
        });
    }

    @Override
    public void sort(Comparator<? super E> c) {
        change("sort", items -> {
            items.sort(c);
            return true;
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<E> snapshot() {
        return (List<E>) ref.call(ListProtocol.SNAPSHOT);
    }

    @Override
    public Iterator<E> iterator() {
        return listIterator(0);
    }

    @Override
    public ListIterator<E> listIterator() {
        return listIterator(0);
    }

    @Override
    public ListIterator<E> listIterator(int index) {
        Object[] versioned = (Object[]) ref.call(ListProtocol.VERSIONED);
        @SuppressWarnings("unchecked")
        List<E> items = (List<E>) versioned[1];
        if (index < 0 || index > items.size()) {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for " + ref + " of length "
                    + items.size());
        }
        return new SnapshotIterator(((Number) versioned[0]).longValue(), items, index);
    }

    @Override
    public Spliterator<E> spliterator() {
        return Spliterators.spliterator(snapshot(), Spliterator.ORDERED);
    }

    @Override
    public Object[] toArray() {
        return snapshot().toArray();
    }

    @Override
    public <T> T[] toArray(T[] a) {
        return snapshot().toArray(a);
    }

    @Override
    public boolean containsAll(Collection<?> c) {
        return snapshot().containsAll(c);
    }

    /** {@code AbstractList}'s form, {@code [a, b]}, of one snapshot. */
    @Override
    public String toString() {
        return snapshot().toString();
    }

    /** {@code List.equals}, against one snapshot. */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof List && snapshot().equals(o));
    }

    /** {@code List.hashCode}, of one snapshot. */
    @Override
    public int hashCode() {
        return snapshot().hashCode();
    }

    /** A change of the whole list computed here: read a versioned snapshot, write back if still at it. */
    private interface Change<E> {
        /** Changes {@code items} in place; whether anything changed. */
        boolean apply(ArrayList<E> items);
    }

    @SuppressWarnings("unchecked")
    private boolean change(String op, Change<E> change) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Object[] versioned = (Object[]) ref.call(ListProtocol.VERSIONED);
            ArrayList<E> items = (ArrayList<E>) versioned[1];
            if (!change.apply(items)) {
                return false;
            }
            if ((Boolean) ref.call(ListProtocol.REPLACE_IF, versioned[0], items)) {
                return true;
            }
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(Math.min(attempt, 10) * 100_000L));
        }
        throw new ConcurrentModificationException(ref + "." + op + ": the list changed under each of " + ATTEMPTS
                + " attempts, so nothing was changed; guard its writers with a shared lock (m.lock)");
    }

    /** A list iterator over a snapshot whose writes apply only if the list is still as it saw it. */
    private final class SnapshotIterator implements ListIterator<E> {
        private final List<E> items;
        private long version;
        private int cursor;
        private int last = -1;

        SnapshotIterator(long version, List<E> items, int cursor) {
            this.version = version;
            this.items = items;
            this.cursor = cursor;
        }

        @Override
        public boolean hasNext() {
            return cursor < items.size();
        }

        @Override
        public E next() {
            if (cursor >= items.size()) {
                throw new NoSuchElementException();
            }
            last = cursor++;
            return items.get(last);
        }

        @Override
        public boolean hasPrevious() {
            return cursor > 0;
        }

        @Override
        public E previous() {
            if (cursor <= 0) {
                throw new NoSuchElementException();
            }
            last = --cursor;
            return items.get(last);
        }

        @Override
        public int nextIndex() {
            return cursor;
        }

        @Override
        public int previousIndex() {
            return cursor - 1;
        }

        @Override
        public void remove() {
            checkLast("remove");
            write("remove", ref.call(ListProtocol.REMOVE_AT_IF, version, last));
            items.remove(last);
            cursor = last;
            last = -1;
        }

        @Override
        public void set(E e) {
            checkLast("set");
            write("set", ref.call(ListProtocol.SET_IF, version, last, e));
            items.set(last, e);
        }

        @Override
        public void add(E e) {
            write("add", ref.call(ListProtocol.INSERT_IF, version, cursor, e));
            items.add(cursor++, e);
            last = -1;
        }

        private void checkLast(String op) {
            if (last < 0) {
                throw new IllegalStateException(op + "() on an iterator of " + ref
                        + " needs a next() or previous() first, and none since its last remove() or add()");
            }
        }

        private void write(String op, Object newVersion) {
            if (newVersion == null) {
                throw new ConcurrentModificationException("iterator of " + ref + "." + op + ": the list changed"
                        + " since this iterator's snapshot, so nothing was changed; take a new iterator");
            }
            version = ((Number) newVersion).longValue();
        }
    }
}
