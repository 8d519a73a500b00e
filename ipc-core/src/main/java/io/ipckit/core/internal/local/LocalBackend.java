package io.ipckit.core.internal.local;

import io.ipckit.core.ChannelClosedException;
import io.ipckit.core.ManagerGoneException;
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
import io.ipckit.core.Space;
import io.ipckit.core.internal.Closer;
import io.ipckit.core.internal.Files2;
import io.ipckit.core.internal.backend.Backend;
import io.ipckit.core.internal.manager.Connections;
import io.ipckit.core.internal.manager.EmbeddedServers;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.protocol.ManagerProtocol;
import io.ipckit.core.internal.manager.protocol.Protocol;
import io.ipckit.core.internal.manager.server.ManagerServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The local backend: the objects of a manager of this host (a manager JVM this process started or
 * connected to, or one embedded in this JVM), reached through its space with {@link ManagerClient}.
 * Holds what a {@link io.ipckit.core.Manager} of this host owns: its client, the manager's process or
 * embedded server, and whether closing removes the space. Any thread.
 */
public final class LocalBackend implements Backend {
    private final ManagerClient client;
    private final Process process;
    private final ManagerServer embedded;
    private final Space embeddedSpace;
    private final boolean owner;
    private final boolean keepSpace;
    /** Told the exit status of {@link #process} once it has exited; null when nothing waits for it. */
    private final IntConsumer processExited;
    private volatile boolean closed;

    /**
     * @param process       the manager's JVM when this process started it, else null
     * @param embedded      the manager's server when it runs in this JVM, else null
     * @param embeddedSpace the embedded server's space, closed with it
     * @param owner         whether {@link #close()} shuts the manager down
     * @param keepSpace     whether the space outlives the manager (durable, or not ours)
     * @param processExited told the manager JVM's exit status, or null
     */
    public LocalBackend(ManagerClient client, Process process, ManagerServer embedded, Space embeddedSpace,
                        boolean owner, boolean keepSpace, IntConsumer processExited) {
        this.client = client;
        this.process = process;
        this.processExited = processExited;
        this.embedded = embedded;
        this.embeddedSpace = embeddedSpace;
        this.owner = owner;
        this.keepSpace = keepSpace;
        Connections.put(client);
    }

    /** Connects to the running manager at a local {@code ipckit:} address, as {@code Manager.connect}. */
    public static LocalBackend connect(String address) {
        return new LocalBackend(ManagerClient.connect(address), null, null, null, false, true, null);
    }

    @Override
    public String address() {
        return client.address();
    }

    @Override
    public Path directory() {
        return client.directory();
    }

    @Override
    public long pid() {
        return client.managerPid();
    }

    @Override
    public <K, V> SharedMap<K, V> map(String name) {
        return LocalMap.create(client, name);
    }

    @Override
    public <E> SharedList<E> list(String name) {
        return LocalList.create(client, name);
    }

    @Override
    public <E> SharedQueue<E> queue(String name, int maxsize, boolean joinable) {
        return LocalQueue.create(client, name, maxsize, joinable);
    }

    @Override
    public SharedLock lock(String name, boolean reentrant) {
        return LocalLock.create(client, name, reentrant);
    }

    @Override
    public SharedSemaphore semaphore(String name, int permits, boolean bounded) {
        return LocalSemaphore.create(client, name, permits, bounded);
    }

    @Override
    public SharedCondition condition(String name, String lockName) {
        return LocalCondition.create(client, name, lockName);
    }

    @Override
    public SharedEvent event(String name) {
        return LocalEvent.create(client, name);
    }

    @Override
    public SharedBarrier barrier(String name, int parties, SerializableRunnable action, Duration timeout) {
        LocalBarrier b = LocalBarrier.create(client, name, parties, action);
        return timeout == null ? b : b.withDefaultTimeout(timeout);
    }

    @Override
    public SharedLong sharedLong(String name) {
        return LocalLong.create(client, name);
    }

    @Override
    public <T> SharedValue<T> value(String name, T initial) {
        return LocalValue.create(client, name, initial);
    }

    @Override
    public <T> void register(String name, Class<T> type, SerializableSupplier<? extends T> factory) {
        UserObjects.register(client, name, type, factory);
    }

    @Override
    public <T> T proxy(String name, Class<T> type) {
        return UserObjects.proxy(client, name, type);
    }

    @Override
    public void shutdown() {
        if (closed) {
            return;
        }
        closed = true;
        Connections.remove(client);
        try {
            if (!client.isClosed()) {
                client.call(ManagerProtocol.SHUTDOWN, Protocol.MANAGER_NAME);
            }
        } catch (ManagerGoneException | ChannelClosedException ignored) {
            // already gone
        } finally {
            client.markGone();
            finish();
        }
    }

    @Override
    public void close() {
        if (owner) {
            shutdown();
            return;
        }
        disconnect();
    }

    @Override
    public void detach() {
        if (embedded != null) {
            throw new IllegalStateException("the embedded manager of " + directory() + " runs in this JVM and"
                    + " cannot be left running without this object: close() or shutdown() it, or start a manager"
                    + " in its own JVM with Manager.builder().server(true).start() to detach from it");
        }
        disconnect();
    }

    /** Whether this handle is closed, detached or shut down. */
    public boolean isClosed() {
        return closed;
    }

    private void disconnect() {
        if (!closed) {
            closed = true;
            Connections.remove(client);
            client.close();
        }
    }

    private void finish() {
        Closer closer = new Closer();
        closer.close(client);
        if (process != null) {
            closer.run("waiting for the manager process", () -> {
                try {
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                    if (processExited != null && !process.isAlive()) {
                        processExited.accept(process.exitValue());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        if (embedded != null) {
            closer.run("stopping the embedded manager", () -> {
                try {
                    embedded.awaitStop(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                EmbeddedServers.remove(embedded);
                embedded.close();
            });
            closer.close(embeddedSpace);
        }
        if (keepSpace) {
            closer.rethrow();
            return;
        }
        closer.run("removing " + client.directory(), () -> {
            try {
                Files2.deleteRecursively(client.directory());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        closer.rethrow();
    }

    @Override
    public String toString() {
        return "Manager[" + directory() + ", pid " + pid() + (closed ? ", closed" : "") + "]";
    }
}
