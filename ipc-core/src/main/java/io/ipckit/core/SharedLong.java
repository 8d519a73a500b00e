package io.ipckit.core;

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
 * A {@code long} shared by processes through a {@link Manager} (Python's {@code m.Value('l', 0)}), with
 * the operations of {@link java.util.concurrent.atomic.AtomicLong}. The manager only allocates the long a
 * slot in its space's mapped values file; every operation is an atomic instruction on that mapped memory
 * in the calling process, with no call to the manager. The file is mapped once per process, on first use.
 *
 * <p>Safe for any thread of any process; serializable (pass it to another JVM and use it there). No
 * method blocks. Each throws {@link ManagerGoneException} when the manager is found gone (looked at
 * every 100 ms at most, so a long may be used up to 100 ms after its manager died).
 */
public final class SharedLong implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<Path, Mapping> MAPPINGS = new ConcurrentHashMap<>();

    private final HandleRef ref;
    private final int slot;
    private transient volatile Mapping mapping;

    private SharedLong(HandleRef ref, int slot) {
        this.ref = ref;
        this.slot = slot;
    }

    static SharedLong create(ManagerClient client, String name) {
        int slot = ((Number) client.call(LongProtocol.CREATE, name)).intValue();
        return new SharedLong(HandleRef.of(client, Kind.LONG, name), slot);
    }

    /** The long's name in its manager. */
    public String name() {
        return ref.name();
    }

    /** The current value. */
    public long get() {
        return values().get(slot);
    }

    /** Sets the value. */
    public void set(long value) {
        values().set(slot, value);
    }

    /** Adds {@code delta} atomically; returns the new value. */
    public long addAndGet(long delta) {
        return values().getAndAdd(slot, delta) + delta;
    }

    /** Adds {@code delta} atomically; returns the previous value. */
    public long getAndAdd(long delta) {
        return values().getAndAdd(slot, delta);
    }

    /** Adds one atomically; returns the new value. */
    public long incrementAndGet() {
        return addAndGet(1);
    }

    /** Subtracts one atomically; returns the new value. */
    public long decrementAndGet() {
        return addAndGet(-1);
    }

    /** Sets the value to {@code update} if it is {@code expect}, atomically; returns whether it did. */
    public boolean compareAndSet(long expect, long update) {
        return values().compareAndSet(slot, expect, update);
    }

    /** Sets the value atomically; returns the previous value. */
    public long getAndSet(long value) {
        return values().getAndSet(slot, value);
    }

    /**
     * Applies {@code f} atomically (a compare-and-set loop in this process, so {@code f} may run more
     * than once and must have no side effects); returns the new value.
     */
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
