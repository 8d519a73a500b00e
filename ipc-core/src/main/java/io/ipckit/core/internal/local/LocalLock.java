package io.ipckit.core.internal.local;

import io.ipckit.core.Manager;
import io.ipckit.core.SharedLock;

import io.ipckit.core.internal.manager.client.HandleRef;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.client.WaitSlices;
import io.ipckit.core.internal.manager.protocol.LockProtocol;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * {@link SharedLock} on the local backend: a handle on an object of a {@link Manager} of this host, which
 * reaches it through the manager's space. Made by {@link LocalBackend}; the contract is {@link SharedLock}'s.
 */
public final class LocalLock implements Lock, Serializable, SharedLock {
    private static final long serialVersionUID = 1L;
    /** One server-side wait for the lock, of at most {@code millis}: a wait of {@link WaitSlices}. */
    private static final WaitSlices.Attempt<LocalLock> ACQUIRE = (lock, unused, millis) -> lock.acquire(millis);
    /**
     * This thread's holds of manager locks, by {@link #holdKey}: counted on each acquire and release this
     * thread makes through any handle of this JVM, so that {@link #unlock()} by the holder needs no reply.
     * The manager stays the authority: a release this count does not vouch for waits for the manager's answer.
     */
    private static final ThreadLocal<HashMap<String, int[]>> HELD = ThreadLocal.withInitial(HashMap::new);
    private final HandleRef ref;
    private final boolean reentrant;
    /** The client {@link #holdKey} was made for, and the key: the lock's name in that connection. */
    private transient ManagerClient keyClient;
    private transient String key;

    private LocalLock(HandleRef ref, boolean reentrant) {
        this.ref = ref;
        this.reentrant = reentrant;
    }

    public static LocalLock create(ManagerClient client, String name, boolean reentrant) {
        return new LocalLock(HandleRef.create(client, LockProtocol.CREATE, name, reentrant), reentrant);
    }

    @Override
    public String name() {
        return ref.name();
    }

    @Override
    public boolean isReentrant() {
        return reentrant;
    }

    private boolean acquire(long millis) {
        boolean got = (Boolean) ref.call(LockProtocol.ACQUIRE, WaitSlices.threadId(), millis);
        if (got) {
            HELD.get().computeIfAbsent(holdKey(ref.client()), k -> new int[1])[0]++;
        }
        return got;
    }

    /** Ownership is per connection (the manager's session) and thread: the key names the connection. */
    private String holdKey(ManagerClient client) {
        if (client != keyClient) {
            key = client.clientId() + "/" + ref.name();
            keyClient = client;
        }
        return key;
    }

    @Override
    public void lock() {
        WaitSlices.uninterruptibly(ACQUIRE, this, 1);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        WaitSlices.interruptibly(ACQUIRE, this, 1, "lockInterruptibly", ref);
    }

    @Override
    public boolean tryLock() {
        return acquire(0);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return WaitSlices.timed(ACQUIRE, this, 1, System.nanoTime(), unit.toNanos(time), "tryLock", ref);
    }

    /**
     * Releases one hold. When this thread holds the lock by this JVM's count, the release is a one-way
     * request ({@link ManagerClient#send}): it returns once the request is in the manager's request channel,
     * which runs it before anything sent after it by any process, so the lock is free for every later
     * request. Otherwise it waits for the manager's answer, which is an {@link IllegalMonitorStateException}
     * naming the holder when this thread does not hold it.
     */
    @Override
    public void unlock() {
        ManagerClient client = ref.client();
        HashMap<String, int[]> held = HELD.get();
        String k = holdKey(client);
        int[] holds = held.get(k);
        if (holds == null) {
            ref.call(LockProtocol.RELEASE, WaitSlices.threadId());
            return;
        }
        client.send(LockProtocol.RELEASE, ref.name(), WaitSlices.threadId());
        if (--holds[0] == 0) {
            held.remove(k);
        }
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return (Boolean) ref.call(LockProtocol.IS_HELD_BY, WaitSlices.threadId());
    }

    @Override
    public int getHoldCount() {
        return (Integer) ref.call(LockProtocol.HOLD_COUNT, WaitSlices.threadId());
    }

    @Override
    public boolean isLocked() {
        return (Boolean) ref.call(LockProtocol.IS_LOCKED);
    }

    @Override
    public int getQueueLength() {
        return (Integer) ref.call(LockProtocol.QUEUE_LENGTH);
    }

    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("lock '" + name() + "': a shared condition needs a name; use "
                + "manager.condition(\"<condition name>\", \"" + name() + "\") with a lock made by manager.rlock");
    }

    @Override
    public String toString() {
        return "SharedLock[" + name() + (reentrant ? ", reentrant" : "") + "]";
    }
}
