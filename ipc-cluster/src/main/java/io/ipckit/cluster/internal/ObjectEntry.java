package io.ipckit.cluster.internal;

import java.io.Serializable;
import java.util.UUID;

/**
 * The registration of one object of the user's own type on the cluster, the value of its entry in the
 * {@value #OBJECTS} IMap (kept with its backups, so it outlives any one node): the interface it was
 * registered with, its factory (encoded and sealed for the object's name) and the node that hosts the
 * instance now. Immutable; {@code IMap.replace(name, old, new)} moves it from a dead host to a live one.
 */
final class ObjectEntry implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The IMap of registrations, by object name. */
    static final String OBJECTS = "ipckit.objects";

    final String interfaceName;
    final byte[] sealedFactory;
    final UUID host;

    ObjectEntry(String interfaceName, byte[] sealedFactory, UUID host) {
        this.interfaceName = interfaceName;
        this.sealedFactory = sealedFactory;
        this.host = host;
    }

    /** The same registration, hosted by {@code newHost}. */
    ObjectEntry movedTo(UUID newHost) {
        return new ObjectEntry(interfaceName, sealedFactory, newHost);
    }
}
