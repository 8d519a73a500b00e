package io.ipckit.core;

import java.util.Objects;

/**
 * One object a live manager holds, as {@link SpaceInfo#managerObjects(java.time.Duration)} reports it:
 * its name, its kind ({@code map}, {@code list}, {@code queue}, {@code lock}, {@code semaphore},
 * {@code condition}, {@code event}, {@code barrier}, {@code long}, {@code value}, {@code object}) and a
 * one-line description of its state at that moment ({@code size 2}, {@code held by thread 1 of pid 42},
 * ...) meant for people, not parsing. Immutable; any thread.
 */
public final class SharedObjectInfo {
    private final String name;
    private final String type;
    private final String state;

    SharedObjectInfo(String name, String type, String state) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.state = Objects.requireNonNull(state, "state");
    }

    /** The name it was created with. */
    public String name() {
        return name;
    }

    /** Its kind, in lower case. */
    public String type() {
        return type;
    }

    /** Its state when asked, in words. */
    public String state() {
        return state;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SharedObjectInfo && ((SharedObjectInfo) o).name.equals(name)
                && ((SharedObjectInfo) o).type.equals(type) && ((SharedObjectInfo) o).state.equals(state);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, state);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + state;
    }
}
