package io.ipckit.core.internal.manager.client;

import io.ipckit.core.internal.manager.Connections;
import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.Operation;
import io.ipckit.core.internal.manager.protocol.Protocol;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a shared-object handle carries between processes: the manager's address, the object's kind and
 * name. The connection is looked up (or opened) in the process that uses the handle, so a handle passed
 * to another JVM just works there.
 *
 * <p>Client side. Immutable apart from the connection it caches; any thread of any process.
 */
public final class HandleRef implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String address;
    private final String kind;
    private final String name;
    /** This process's connection to the manager, once looked up; replaced when closed. */
    private transient volatile ManagerClient client;

    private HandleRef(String address, String kind, String name) {
        this.address = address;
        this.kind = kind;
        this.name = name;
    }

    /**
     * Gets or creates object {@code name} in the manager of {@code client} ({@code create}, code
     * {@link Protocol#CREATE} of the object's kind, with the creation arguments) and returns its reference.
     * The one way handles are made. Any thread; one call to the manager.
     *
     * @throws IllegalArgumentException when the name is invalid, is another kind's, or the arguments conflict
     *                                  with the existing object's
     * @throws io.ipckit.core.ManagerGoneException when the manager is gone
     */
    public static HandleRef create(ManagerClient client, Operation create, String name, Object... args) {
        if (create.code() != Protocol.CREATE) {
            throw new IllegalArgumentException(create + " is not a create operation");
        }
        client.call(create, name, args);
        return of(client, create.kind(), name);
    }

    /** The reference to object {@code name} of {@code kind} in the manager of {@code client}; no call made. */
    public static HandleRef of(ManagerClient client, Kind kind, String name) {
        return new HandleRef(client.address(), kind.label(), name);
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
        ManagerClient c = client;
        if (c != null && !c.isClosed()) {
            return c; // Connections keeps an open connection until it is closed: the same answer, no lookup
        }
        try {
            c = Connections.get(address);
            client = c;
            return c;
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

    /**
     * Calls {@code op} (an operation of this object's kind) on the object in the manager and returns the
     * result. Any thread; blocks until the manager answers (see {@link ManagerClient#call}).
     */
    public Object call(Operation op, Object... args) {
        return client().call(op, name, args);
    }

    /** As {@link #call(Operation, Object...)} for an operation without arguments (no array made). */
    public Object call(Operation op) {
        return client().call(op, name, Protocol.NO_ARGS);
    }

    /** As {@link #call} but returns the raw reply (for callers that rethrow checked exceptions). */
    public Protocol.Reply exchange(Operation op, Object... args) {
        return client().exchange(op, name, args);
    }

    @Override
    public String toString() {
        return kind + " '" + name + "'";
    }
}
