package io.ipckit.core.internal.manager.client;

import io.ipckit.core.internal.manager.Connections;
import io.ipckit.core.internal.manager.ManagerLayout;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /**
     * This process's connection to the object's manager.
     *
     * @throws io.ipckit.core.ManagerGoneException naming this object when the manager's space is gone
     *         (the manager was closed or shut down), rather than the "no manager at" of a bad address
     */
    public ManagerClient client() {
        try {
            return Connections.get(address);
        } catch (IllegalArgumentException e) {
            Path dir = ManagerLayout.directoryOf(address);
            if (!Files.isDirectory(dir)) {
                throw new io.ipckit.core.ManagerGoneException(this + ": its manager is gone (closed or shut down;"
                        + " its space " + dir + " no longer exists); start or connect to a new manager and get the "
                        + kind + " from it");
            }
            throw e;
        }
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
