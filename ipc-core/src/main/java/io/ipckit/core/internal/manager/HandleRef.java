package io.ipckit.core.internal.manager;

import java.io.Serializable;

/**
 * What a shared-object handle carries between processes: the manager's address, the object's kind and
 * name. The connection is looked up (or opened) in the process that uses the handle, so a handle passed
 * to another JVM just works there.
 */
public final class HandleRef implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String address;
    private final String kind;
    private final String name;

    public HandleRef(String address, String kind, String name) {
        this.address = address;
        this.kind = kind;
        this.name = name;
    }

    public String address() {
        return address;
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    /** This process's connection to the object's manager. */
    public ManagerClient client() {
        return Connections.get(address);
    }

    /** Calls {@code op} on the object in the manager and returns the result. */
    public Object call(String op, Object... args) {
        return client().call(kind, name, op, args);
    }

    @Override
    public String toString() {
        return kind + " '" + name + "'";
    }
}
