package io.ipckit.core;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.RandomAccess;
import java.util.Spliterator;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A list hosted by a {@link Manager} (Python's {@code m.list()}), keeping the {@code List} contract.
 * Elements travel by value through the codec; null elements are allowed.
 *
 * <p><b>Costs.</b> {@code get}, {@code set}, {@code add}, {@code remove}, {@code indexOf},
 * {@code contains}, {@code size}, {@code clear}, {@code addAll} and a sub-list's {@code clear} are one
 * atomic request each. {@code iterator}, {@code listIterator}, {@code spliterator} (and so
 * {@code stream} and {@code forEach}), {@code toArray}, {@code containsAll}, {@code toString},
 * {@code equals} and {@code hashCode} read one snapshot of the whole list, taken atomically by one
 * request ({@code toString} as {@code AbstractList}'s: {@code [a, b]}).
 *
 * <p><b>Bulk changes</b> ({@link #removeAll}, {@link #retainAll}, {@link #removeIf}, {@link #replaceAll},
 * {@link #sort}) are atomic without sending your predicate, operator or comparator anywhere (it need not be
 * serializable): each reads a versioned snapshot (one request), computes the new contents in this
 * process, then replaces the contents only if the list is still at that version (one request). When
 * another caller changed the list in between it starts again (so the function may run more than once per
 * element), up to 50 times, then throws {@link ConcurrentModificationException} naming
 * the list, which is left as the other callers made it. A call that changes nothing makes no second
 * request.
 *
 * <p><b>Iterators</b> are weakly consistent: they walk the snapshot taken when they were created and
 * never throw because the list changed. Their {@code remove}, {@code set} and {@code add} write through
 * (one request each) if the list is still as the iterator saw it (unchanged since the snapshot but for
 * this iterator's own writes); otherwise they throw {@link ConcurrentModificationException} and change
 * nothing: take a new iterator. {@link #subList} is {@code AbstractList}'s view, backed by this list
 * through these operations; it is meant for one caller at a time, as a sub-list of an
 * {@code ArrayList} is.
 *
 * <p>Safe for any thread of any process; serializable. Each call blocks until the manager answers and
 * throws {@link ManagerGoneException} when it is gone.
 *
 * @param <E> elements
 */
public interface SharedList<E> extends List<E>, RandomAccess, Serializable {

    /** The list's name in its manager. */
    String name();

    /** Appends every element in one atomic request. */
    boolean addAll(Collection<? extends E> c);

    /** Inserts every element at {@code index} in one atomic request. */
    boolean addAll(int index, Collection<? extends E> c);

    /** Removes every element {@code c} contains, atomically (see the class comment). */
    boolean removeAll(Collection<?> c);

    /** Removes every element {@code c} does not contain, atomically (see the class comment). */
    boolean retainAll(Collection<?> c);

    /** Removes every element {@code filter} accepts, atomically; {@code filter} runs in this process. */
    boolean removeIf(Predicate<? super E> filter);

    /** Replaces every element by {@code operator}'s result, atomically; {@code operator} runs in this process. */
    void replaceAll(UnaryOperator<E> operator);

    /** Sorts the list atomically ({@code null}: natural order); {@code c} runs in this process. */
    void sort(Comparator<? super E> c);

    /** A copy of the whole list, taken atomically (one request). */
    List<E> snapshot();

    /** Walks a snapshot (one request); see the class comment. */
    Iterator<E> iterator();

    /** Walks a snapshot (one request); see the class comment. */
    ListIterator<E> listIterator();

    /** Walks a snapshot (one request) from {@code index}; see the class comment. */
    ListIterator<E> listIterator(int index);

    /** Over a snapshot (one request). */
    Spliterator<E> spliterator();

    /** Against one snapshot. */
    boolean containsAll(Collection<?> c);
}
