package io.ipckit.core;

import java.io.Serializable;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.Collectors;

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
public final class SharedNamespace implements Serializable {
    private static final long serialVersionUID = 1L;
    private final SharedMap<String, Object> attributes;

    SharedNamespace(SharedMap<String, Object> attributes) {
        this.attributes = attributes;
    }

    /** The namespace's name in its manager. */
    public String name() {
        return attributes.name();
    }

    /**
     * Sets attribute {@code attribute} to {@code value} (Python's {@code ns.attribute = value}).
     *
     * @throws NullPointerException when either is null (Python's None: leave the attribute out, or
     *                              {@link #delete} it)
     */
    public void set(String attribute, Object value) {
        attributes.put(Objects.requireNonNull(attribute, "attribute"), Objects.requireNonNull(value,
                () -> "namespace '" + name() + "': attribute '" + attribute + "' cannot be null; delete it instead"));
    }

    /**
     * The value of {@code attribute} (Python's {@code ns.attribute}).
     *
     * @throws NoSuchElementException when it has none (Python's {@code AttributeError})
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String attribute) {
        Object v = attributes.get(Objects.requireNonNull(attribute, "attribute"));
        if (v == null) {
            throw new NoSuchElementException("namespace '" + name() + "' has no attribute '" + attribute
                    + "'; it has " + attributes.keySet());
        }
        return (T) v;
    }

    /** The value of {@code attribute}, or {@code otherwise} when it has none (Python's {@code getattr(ns, a, d)}). */
    @SuppressWarnings("unchecked")
    public <T> T get(String attribute, T otherwise) {
        Object v = attributes.get(Objects.requireNonNull(attribute, "attribute"));
        return v == null ? otherwise : (T) v;
    }

    /** Whether {@code attribute} is set (Python's {@code hasattr}). */
    public boolean has(String attribute) {
        return attributes.containsKey(Objects.requireNonNull(attribute, "attribute"));
    }

    /** Removes {@code attribute} (Python's {@code del ns.attribute}); true when it was set. */
    public boolean delete(String attribute) {
        return attributes.remove(Objects.requireNonNull(attribute, "attribute")) != null;
    }

    /** Every attribute with its value, taken in one request (Python's {@code vars(ns)}): a snapshot. */
    public Map<String, Object> attributes() {
        return attributes.snapshot();
    }

    /** {@code Namespace(a=1, b=x)}, as Python prints one: one request. */
    @Override
    public String toString() {
        return attributes.snapshot().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "Namespace(", ")"));
    }
}
