package io.ipckit.core.internal.backend;

import io.ipckit.core.SerializableRunnable;
import io.ipckit.core.SerializableSupplier;
import io.ipckit.core.SharedBarrier;
import io.ipckit.core.SharedCondition;
import io.ipckit.core.SharedEvent;
import io.ipckit.core.SharedList;
import io.ipckit.core.SharedLock;
import io.ipckit.core.SharedLong;
import io.ipckit.core.SharedMap;
import io.ipckit.core.SharedQueue;
import io.ipckit.core.SharedSemaphore;
import io.ipckit.core.SharedValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The seam behind {@link io.ipckit.core.Manager}: where the shared objects of one manager live. A
 * {@code Manager} is a handle on one backend, and every verb of it is one call here; the objects a backend
 * gives are the public interfaces ({@link SharedQueue}, {@link SharedMap}...), so a caller never changes
 * when the backend does.
 *
 * <pre>
 *   Manager ──▶ Backend ──┬─ LocalBackend    (ipc-core)     a manager JVM of this host; Chronicle channels,
 *    (public)   (this)    │                                  mapped state files, the manager protocol
 *                         └─ ClusterBackend  (ipc-cluster)  a Hazelcast cluster; found by BackendProvider
 * </pre>
 *
 * <p>The address picks the backend ({@link Backends#connect(String)}): {@code ipckit:<dir>#<token>} is
 * local, any other scheme goes to the first {@link BackendProvider} on the class path that accepts it.
 *
 * <p>Every method may be called by any thread; each has the contract of the {@code Manager} method of the
 * same name. A backend that cannot give a kind of object throws {@link UnsupportedOperationException}
 * naming the kind and the backend.
 */
public interface Backend {
    /** The address other processes connect with; carries the access token. */
    String address();

    /** The local space directory; {@link UnsupportedOperationException} when the backend has none. */
    Path directory();

    /** The pid of the process serving the objects; {@link UnsupportedOperationException} when none does. */
    long pid();

    <K, V> SharedMap<K, V> map(String name);

    <E> SharedList<E> list(String name);

    /** A queue; {@code maxsize} 0 for unbounded; {@code joinable} for Python's {@code JoinableQueue}. */
    <E> SharedQueue<E> queue(String name, int maxsize, boolean joinable);

    SharedLock lock(String name, boolean reentrant);

    SharedSemaphore semaphore(String name, int permits, boolean bounded);

    SharedCondition condition(String name, String lockName);

    SharedEvent event(String name);

    /**
     * A barrier; {@code action} run once per generation where the barrier lives, before the parties pass
     * (null for none); {@code timeout} the default wait of its {@code await()}, null for none.
     */
    SharedBarrier barrier(String name, int parties, SerializableRunnable action, Duration timeout);

    SharedLong sharedLong(String name);

    <T> SharedValue<T> value(String name, T initial);

    <T> void register(String name, Class<T> type, SerializableSupplier<? extends T> factory);

    <T> T proxy(String name, Class<T> type);

    /** Stops the objects' host and removes what the backend owns. Idempotent. */
    void shutdown();

    /** Shuts down when this process owns the objects' host, else disconnects. Idempotent. */
    void close();

    /** Disconnects and leaves the objects' host running. Idempotent. */
    void detach();
}
