package io.ipckit.cluster.internal;

import java.util.Objects;

/** Cluster object names: checked, then prefixed per kind on the Hazelcast side. */
public final class Names {
    /** The IMap holding every counter ({@link ClusterLong}s and joinable queues' unfinished counts). */
    public static final String COUNTERS = "ipckit.counters";
    /** The IMap whose key locks are the {@link ClusterLock}s. */
    public static final String LOCKS = "ipckit.locks";
    /** The IMap of every {@link ClusterSemaphore}'s state. */
    public static final String SEMAPHORES = "ipckit.semaphores";
    /** Cluster-wide settings the nodes publish (backup count). */
    public static final String META = "ipckit.meta";

    private Names() {
    }

    static String check(String kind, String name) {
        Objects.requireNonNull(name, kind + " name");
        if (name.isEmpty() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(kind + " name '" + name + "' must be 1 to 200 characters without"
                    + " control characters");
        }
        return name;
    }
}
