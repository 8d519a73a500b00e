package io.ipckit.core;

import java.io.Serializable;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Python's {@code m.Namespace()}: named attributes shared by processes through a {@link Manager}, where
 * Python writes {@code ns.x = 1} and {@code ns.x}, here {@link #set(String, Object) ns.set("x", 1)} and
 * {@link #get(String) ns.get("x")}. Each call is one atomic request to the manager; values travel by
 * value through the codec (a value read and changed locally must be set again, as in Python). The
 * attributes live in the manager's map of the same name ({@code m.map(name)} sees them).
 *
 * <p>Safe for any thread of any process; serializable (pass it to a task and use it there). Every call
 * throws {@link ManagerGoneException} when the manager is gone.
 */
public interface SharedNamespace extends Serializable {

    /** The namespace's name in its manager. */
    String name();

    /**
     * Sets attribute {@code attribute} to {@code value} (Python's {@code ns.attribute = value}).
     *
     * @throws NullPointerException when either is null (Python's None: leave the attribute out, or
     *                              {@link #delete} it)
     */
    void set(String attribute, Object value);

    /**
     * The value of {@code attribute} (Python's {@code ns.attribute}).
     *
     * @throws NoSuchElementException when it has none (Python's {@code AttributeError})
     */
    <T> T get(String attribute);

    /** The value of {@code attribute}, or {@code otherwise} when it has none (Python's {@code getattr(ns, a, d)}). */
    <T> T get(String attribute, T otherwise);

    /** Whether {@code attribute} is set (Python's {@code hasattr}). */
    boolean has(String attribute);

    /** Removes {@code attribute} (Python's {@code del ns.attribute}); true when it was set. */
    boolean delete(String attribute);

    /** Every attribute with its value, taken in one request (Python's {@code vars(ns)}): a snapshot. */
    Map<String, Object> attributes();
}
