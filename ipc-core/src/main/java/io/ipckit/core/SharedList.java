package io.ipckit.core;

import io.ipckit.core.internal.codec.ByFields;
import io.ipckit.core.internal.manager.HandleRef;
import io.ipckit.core.internal.manager.ManagerClient;
import io.ipckit.core.internal.manager.Protocol;
import io.ipckit.core.internal.manager.handlers.ListHandler;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;

/**
 * A list hosted by a {@link Manager} (Python's {@code m.list()}). Every call runs atomically in the
 * manager; iteration walks a snapshot taken by one call. Elements travel by value through the codec.
 *
 * <p>Safe for any thread of any process; serializable. Each call blocks until the manager answers and
 * throws {@link ManagerGoneException} when it is gone.
 *
 * @param <E> elements
 */
public final class SharedList<E> extends AbstractList<E> implements RandomAccess, Serializable, ByFields {
    private static final long serialVersionUID = 1L;
    private final HandleRef ref;

    private SharedList(HandleRef ref) {
        this.ref = ref;
    }

    static <E> SharedList<E> create(ManagerClient client, String name) {
        client.call(Protocol.MANAGER, name, Protocol.CREATE, ListHandler.KIND);
        return new SharedList<>(new HandleRef(client.address(), ListHandler.KIND, name));
    }

    /** The list's name in its manager. */
    public String name() {
        return ref.name();
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        return (E) ref.call("get", index);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E set(int index, E element) {
        return (E) ref.call("set", index, element);
    }

    @Override
    public boolean add(E e) {
        return (Boolean) ref.call("add", e);
    }

    @Override
    public void add(int index, E element) {
        ref.call("insert", index, element);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E remove(int index) {
        return (E) ref.call("removeAt", index);
    }

    @Override
    public boolean remove(Object o) {
        return (Boolean) ref.call("remove", o);
    }

    @Override
    public int indexOf(Object o) {
        return (Integer) ref.call("indexOf", o);
    }

    @Override
    public int lastIndexOf(Object o) {
        return (Integer) ref.call("lastIndexOf", o);
    }

    @Override
    public boolean contains(Object o) {
        return (Boolean) ref.call("contains", o);
    }

    @Override
    public int size() {
        return (Integer) ref.call("size");
    }

    @Override
    public void clear() {
        ref.call("clear");
    }

    /** Appends every element in one atomic call. */
    @Override
    public boolean addAll(Collection<? extends E> c) {
        return (Boolean) ref.call("addAll", new ArrayList<>(c));
    }

    /** A copy of the whole list, taken atomically. */
    @SuppressWarnings("unchecked")
    public List<E> snapshot() {
        return (List<E>) ref.call("snapshot");
    }

    /** Iterates over a snapshot; {@code remove} through it is not supported. */
    @Override
    public Iterator<E> iterator() {
        return Collections.unmodifiableList(snapshot()).iterator();
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
    public String toString() {
        return "SharedList[" + ref.name() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof List && snapshot().equals(o));
    }

    @Override
    public int hashCode() {
        return snapshot().hashCode();
    }
}
