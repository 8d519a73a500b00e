package io.ipckit.core.internal.local;

import io.ipckit.core.Manager;
import io.ipckit.core.ManagerGoneException;
import io.ipckit.core.SharedLong;

import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.ValueSlots;
import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.client.ManagerWatch;
import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.LongProtocol;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongUnaryOperator;

/**
 * {@link SharedLong} on the local backend: a handle on an object of a {@link Manager} of this host, which
 * reaches it through the manager's space. Made by {@link LocalBackend}; the contract is {@link SharedLong}'s.
 */
public final class LocalLong implements Serializable, SharedLong {
    private static final long serialVersionUID = 1L;
    private static final Map<Path, Mapping> MAPPINGS = new ConcurrentHashMap<>();

    private final HandleRef ref;
    private final int slot;
    private transient volatile Mapping mapping;

    private LocalLong(HandleRef ref, int slot) {
        this.ref = ref;
        this.slot = slot;
    }

    public static LocalLong create(ManagerClient client, String name) {
        int slot = ((Number) client.call(LongProtocol.CREATE, name)).intValue();
        return new LocalLong(HandleRef.of(client, Kind.LONG, name), slot);
    }

    @Override
    public String name() {
        return ref.name();
    }

    @Override
    public long get() {
        return values().get(slot);
    }

    @Override
    public void set(long value) {
        values().set(slot, value);
    }

    @Override
    public long addAndGet(long delta) {
        return values().getAndAdd(slot, delta) + delta;
    }

    @Override
    public long getAndAdd(long delta) {
        return values().getAndAdd(slot, delta);
    }

    @Override
    public long incrementAndGet() {
        return addAndGet(1);
    }

    @Override
    public long decrementAndGet() {
        return addAndGet(-1);
    }

    @Override
    public boolean compareAndSet(long expect, long update) {
        return values().compareAndSet(slot, expect, update);
    }

    @Override
    public long getAndSet(long value) {
        return values().getAndSet(slot, value);
    }

    @Override
    public long updateAndGet(LongUnaryOperator f) {
        ValueSlots v = values();
        while (true) {
            long current = v.get(slot);
            long next = f.applyAsLong(current);
            if (v.compareAndSet(slot, current, next)) {
                return next;
            }
        }
    }

    /** Names the long and its manager's directory (never the access token, nor the value). */
    @Override
    public String toString() {
        return "shared long '" + ref.name() + "' of the manager in " + ManagerLayout.directoryOf(ref.address());
    }

    private ValueSlots values() {
        Mapping m = mapping;
        if (m == null) {
            m = map(ManagerLayout.directoryOf(ref.address()));
            mapping = m;
        }
        try {
            m.watch.check(this);
        } catch (ManagerGoneException e) {
            MAPPINGS.remove(m.watch.directory(), m);
            throw e;
        }
        return m.values;
    }

    private Mapping map(Path dir) {
        Mapping m = MAPPINGS.get(dir);
        if (m != null) {
            return m;
        }
        synchronized (MAPPINGS) {
            m = MAPPINGS.get(dir);
            if (m == null) {
                try {
                    ManagerLayout.Info info = ManagerLayout.read(dir);
                    if (info == null) {
                        throw new ManagerGoneException("the manager of " + dir + " is gone (no manager file), and "
                                + "with it " + this + "; start a new manager");
                    }
                    m = new Mapping(ValueSlots.open(ValueSlots.fileIn(dir)), new ManagerWatch(dir, info.pid));
                } catch (NoSuchFileException e) {
                    throw new ManagerGoneException("the manager of " + dir + " is gone (" + e.getFile()
                            + " is missing), and with it " + this + "; start a new manager");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot map the values file of " + this + ": " + e, e);
                }
                MAPPINGS.values().removeIf(old -> !old.watch.alive()); // forget managers gone meanwhile
                MAPPINGS.put(dir, m);
            }
            return m;
        }
    }

    /** A manager's values file as mapped in this JVM, with the watch of that manager. */
    private static final class Mapping {
        final ValueSlots values;
        final ManagerWatch watch;

        Mapping(ValueSlots values, ManagerWatch watch) {
            this.values = values;
            this.watch = watch;
        }
    }
}
