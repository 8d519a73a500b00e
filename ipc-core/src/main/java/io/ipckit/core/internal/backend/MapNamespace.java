package io.ipckit.core.internal.backend;

import io.ipckit.core.SharedMap;
import io.ipckit.core.SharedNamespace;

import java.io.Serializable;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@link SharedNamespace} on any backend: named attributes kept in a {@link SharedMap} of the same name,
 * so a namespace is as safe, as durable and as reachable as that backend's maps. Any thread of any process;
 * serializable (the map's handle travels with it).
 */
public final class MapNamespace implements Serializable, SharedNamespace {
    private static final long serialVersionUID = 1L;
    private final SharedMap<String, Object> attributes;

    public MapNamespace(SharedMap<String, Object> attributes) {
        this.attributes = attributes;
    }

    @Override
    public String name() {
        return attributes.name();
    }

    @Override
    public void set(String attribute, Object value) {
        attributes.put(Objects.requireNonNull(attribute, "attribute"), Objects.requireNonNull(value,
                () -> "namespace '" + name() + "': attribute '" + attribute + "' cannot be null; delete it instead"));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(String attribute) {
        Object v = attributes.get(Objects.requireNonNull(attribute, "attribute"));
        if (v == null) {
            throw new NoSuchElementException("namespace '" + name() + "' has no attribute '" + attribute
                    + "'; it has " + attributes.keySet());
        }
        return (T) v;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(String attribute, T otherwise) {
        Object v = attributes.get(Objects.requireNonNull(attribute, "attribute"));
        return v == null ? otherwise : (T) v;
    }

    @Override
    public boolean has(String attribute) {
        return attributes.containsKey(Objects.requireNonNull(attribute, "attribute"));
    }

    @Override
    public boolean delete(String attribute) {
        return attributes.remove(Objects.requireNonNull(attribute, "attribute")) != null;
    }

    @Override
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
