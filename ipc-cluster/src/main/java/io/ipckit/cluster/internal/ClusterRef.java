package io.ipckit.cluster.internal;

import io.ipckit.core.internal.codec.ByReference;

/**
 * How a cluster handle travels (to a task, a child process, a shared queue): its kind, the cluster's
 * address (token included: whoever holds a handle may use the object, as locally) and the object's name
 * and creation arguments. Arriving, it is made again through this JVM's client of the address
 * ({@link ClusterBackend#of}), connecting if there is none yet (at most {@link ClusterClient#connectTimeout()}).
 * Immutable; any thread.
 */
final class ClusterRef implements ByReference.Reference {
    private static final long serialVersionUID = 1L;

    enum Kind { QUEUE, MAP, LOCK, SEMAPHORE, EVENT, LONG, VALUE, LIST, BARRIER, CONDITION }

    private final Kind kind;
    private final String address;
    private final String name;
    private final int number;
    private final boolean flag;

    ClusterRef(Kind kind, io.ipckit.cluster.ClusterAddress address, String name, int number, boolean flag) {
        if (address == null) {
            throw new IllegalStateException("this cluster " + kind.name().toLowerCase() + " '" + name + "' was made"
                    + " without a cluster address (from a HazelcastInstance directly), so it cannot travel; get it from"
                    + " Manager.connect(clusterAddress)");
        }
        this.kind = kind;
        this.address = address.toString();
        this.name = name;
        this.number = number;
        this.flag = flag;
    }

    @Override
    public Object resolve() {
        ClusterBackend b = ClusterBackend.of(address);
        switch (kind) {
            case QUEUE:
                return b.queue(name, number, flag);
            case MAP:
                return b.map(name);
            case LOCK:
                return b.lock(name, flag);
            case SEMAPHORE:
                return b.semaphore(name, number, flag);
            case EVENT:
                return b.event(name);
            case VALUE:
                return b.value(name, null);
            case LIST:
                return b.list(name);
            case BARRIER:
                return b.barrierByReference(name, number);
            case CONDITION: {
                int cut = name.indexOf('\u0000');
                return b.condition(name.substring(0, cut), name.substring(cut + 1));
            }
            default:
                return b.sharedLong(name);
        }
    }

    /** Java serialization's side of the same: a reference read back is the handle. */
    private Object readResolve() {
        return resolve();
    }
}
