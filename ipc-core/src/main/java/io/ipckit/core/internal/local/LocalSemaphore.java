package io.ipckit.core.internal.local;

import io.ipckit.core.Manager;
import io.ipckit.core.SharedSemaphore;

import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.client.WaitSlices;
import io.ipckit.core.internal.manager.protocol.SemaphoreProtocol;

import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@link SharedSemaphore} on the local backend: a handle on an object of a {@link Manager} of this host, which
 * reaches it through the manager's space. Made by {@link LocalBackend}; the contract is {@link SharedSemaphore}'s.
 */
public final class LocalSemaphore implements Serializable, SharedSemaphore {
    private static final long serialVersionUID = 1L;
    /** One server-side wait for permits, of at most {@code millis}: a wait of {@link WaitSlices}. */
    private static final WaitSlices.Attempt<LocalSemaphore> TAKE = LocalSemaphore::take;
    private final HandleRef ref;
    private final boolean bounded;

    private LocalSemaphore(HandleRef ref, boolean bounded) {
        this.ref = ref;
        this.bounded = bounded;
    }

    public static LocalSemaphore create(ManagerClient client, String name, int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore '" + name + "': permits must be >= 0, was " + permits);
        }
        return new LocalSemaphore(HandleRef.create(client, SemaphoreProtocol.CREATE, name, permits, bounded), bounded);
    }

    @Override
    public String name() {
        return ref.name();
    }

    @Override
    public boolean isBounded() {
        return bounded;
    }

    private boolean take(int permits, long millis) {
        return (Boolean) ref.call(SemaphoreProtocol.ACQUIRE, permits, millis);
    }

    @Override
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    @Override
    public void acquire(int permits) throws InterruptedException {
        checkCount(permits);
        WaitSlices.interruptibly(TAKE, this, permits, "acquire", ref);
    }

    @Override
    public void acquireUninterruptibly() {
        WaitSlices.uninterruptibly(TAKE, this, 1);
    }

    @Override
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    @Override
    public boolean tryAcquire(int permits) {
        checkCount(permits);
        return take(permits, 0);
    }

    @Override
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire(1, timeout, unit);
    }

    @Override
    public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
        checkCount(permits);
        Objects.requireNonNull(unit, "unit");
        return WaitSlices.timed(TAKE, this, permits, System.nanoTime(), unit.toNanos(timeout), "tryAcquire", ref);
    }

    @Override
    public void release() {
        release(1);
    }

    @Override
    public void release(int permits) {
        checkCount(permits);
        ref.call(SemaphoreProtocol.RELEASE, permits);
    }

    @Override
    public int availablePermits() {
        return (Integer) ref.call(SemaphoreProtocol.AVAILABLE);
    }

    @Override
    public int drainPermits() {
        return (Integer) ref.call(SemaphoreProtocol.DRAIN);
    }

    private void checkCount(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore '" + name() + "': the number of permits must be >= 0, was "
                    + permits);
        }
    }

    @Override
    public String toString() {
        return "SharedSemaphore[" + name() + (bounded ? ", bounded" : "") + "]";
    }
}
