package io.ipckit.cluster.internal;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This JVM's view of which cluster queues are shut down, per Hazelcast instance (client or member): the
 * cluster keeps one entry per shut-down queue in the IMap {@value #MAP} (queue name to {@code true} for an
 * immediate shutdown, {@code false} for a plain one; immediate wins), and this JVM follows it with one entry
 * listener per instance, registered on first use, after which it reads the entries already there. So a
 * put or a get asks only this JVM's table (no cluster call), and a shutdown by any process reaches it
 * with the listener's event (milliseconds on loopback).
 *
 * <p>Threads blocked in a queue's cluster call register here ({@link #enter}); the event interrupts them
 * ({@link Waiter#woken}), and they turn the interrupt into the queue's {@code QueueShutDownException}. A
 * waiter also asks the cluster once per slice ({@link #readFromCluster}) in case an event was lost (the
 * client reconnecting). Any thread; the listener runs on Hazelcast's event threads.
 */
final class QueueShutdowns {
    /** The IMap of shut-down queues. */
    static final String MAP = "ipckit.queue.shutdown";

    private static final Map<String, QueueShutdowns> BY_INSTANCE = new ConcurrentHashMap<>();

    private final IMap<String, Boolean> map;
    /** Queue name to immediate, for the queues known to be shut down. */
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();
    private final Map<String, Set<Waiter>> waiters = new ConcurrentHashMap<>();

    private QueueShutdowns(IMap<String, Boolean> map) {
        this.map = map;
    }

    /** The table of {@code hazelcast}'s JVM, its listener registered on first use (one cluster call). */
    static QueueShutdowns of(HazelcastInstance hazelcast) {
        QueueShutdowns s = BY_INSTANCE.get(hazelcast.getName());
        if (s != null) {
            return s;
        }
        synchronized (BY_INSTANCE) {
            s = BY_INSTANCE.get(hazelcast.getName());
            if (s == null) {
                s = new QueueShutdowns(hazelcast.getMap(MAP));
                s.listen();
                String key = hazelcast.getName();
                hazelcast.getLifecycleService().addLifecycleListener(e -> {
                    if (e.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN) {
                        BY_INSTANCE.remove(key);
                    }
                });
                BY_INSTANCE.put(key, s);
            }
            return s;
        }
    }

    private void listen() {
        map.addEntryListener(new Listener(), true);
        known.putAll(map); // after the listener: a shutdown in between is seen by one or the other
    }

    /** Queue {@code name}'s state here: null when not shut down, else whether immediately. Never blocks. */
    Boolean state(String name) {
        return known.get(name);
    }

    /** Asks the cluster (one call) and records what it says; the state as {@link #state}. */
    Boolean readFromCluster(String name) {
        Boolean immediate = map.get(name);
        if (immediate != null) {
            record(name, immediate);
        }
        return known.get(name);
    }

    /**
     * Shuts queue {@code name} down for every process (one or two cluster calls), then wakes this JVM's
     * waiters at once. Immediate wins over plain; twice is harmless.
     */
    void shutdown(String name, boolean immediate) {
        if (immediate) {
            map.put(name, true);
        } else {
            map.putIfAbsent(name, false);
        }
        readFromCluster(name);
        record(name, immediate);
    }

    /**
     * The calling thread is about to wait in queue {@code name}'s cluster call. The caller checks
     * {@link #state} after this and does not wait when the queue is shut down: a shutdown recorded before the
     * waiter was listed woke no one, and interrupting the thread before its call would lose what the call
     * takes.
     */
    Waiter enter(String name) {
        Waiter w = new Waiter(Thread.currentThread());
        waiters.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(w);
        return w;
    }

    /**
     * The calling thread's wait ended: no wake-up reaches it after this; one that came (an interrupt the
     * wait did not see) is cleared from the thread.
     */
    void leave(String name, Waiter w) {
        Set<Waiter> set = waiters.get(name);
        if (set != null) {
            set.remove(w);
        }
        synchronized (w) {
            w.done = true;
            if (w.woken) {
                Thread.interrupted();
            }
        }
    }

    private void record(String name, boolean immediate) {
        known.merge(name, immediate, (a, b) -> a || b);
        Set<Waiter> set = waiters.get(name);
        if (set != null) {
            for (Waiter w : set) {
                w.wake();
            }
        }
    }

    /** A thread waiting in a queue's cluster call. */
    static final class Waiter {
        private final Thread thread;
        private boolean done;
        /** Whether a shutdown interrupted it (read after the wait ends). */
        volatile boolean woken;

        Waiter(Thread thread) {
            this.thread = thread;
        }

        synchronized void wake() {
            if (!done && !woken) {
                woken = true;
                thread.interrupt();
            }
        }
    }

    private final class Listener implements EntryAddedListener<String, Boolean>, EntryUpdatedListener<String, Boolean> {
        @Override
        public void entryAdded(EntryEvent<String, Boolean> e) {
            record(e.getKey(), Boolean.TRUE.equals(e.getValue()));
        }

        @Override
        public void entryUpdated(EntryEvent<String, Boolean> e) {
            record(e.getKey(), Boolean.TRUE.equals(e.getValue()));
        }
    }
}
