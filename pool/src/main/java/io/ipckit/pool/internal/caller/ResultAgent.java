package io.ipckit.pool.internal.caller;

import io.ipckit.core.Codec;
import io.ipckit.core.SerializationException;
import io.ipckit.core.internal.Agent;
import io.ipckit.core.internal.AgentTerminationException;
import io.ipckit.pool.internal.Messages;

import java.util.concurrent.TimeUnit;

/**
 * The duty cycle of a pool's result thread, {@code ipckit-pool-results-<name>}: reads the result channel
 * (through the {@link ResultReader}, with what callers read and handed over), completes tasks (their sinks run callbacks here), runs what other threads posted to the {@link Inbox},
 * accepts doorbell connections, has the {@link WorkerSupervisor} tick, and moves the {@link Lifecycle} on
 * (stops the workers of a closed pool once nothing is pending, fails what a terminated pool left, releases
 * everything at the end). Once the pool has terminated, its cycle says it is done
 * ({@link AgentTerminationException}) and the thread ends.
 *
 * <p>An {@link Agent}, run by an {@link io.ipckit.core.internal.AgentRunner} on the result thread
 * ({@link LocalEngine} makes it): between cycles with nothing to do the runner idles with the
 * {@link InboxIdleStrategy} (spin, yield, then parks that follow the {@link Inbox}'s wake-up protocol); what
 * a cycle lets through goes to the {@link PoolLog} and the cycles go on.
 *
 * <p>Thread role: the result thread only ({@link #doWork()} is one cycle).
 */
final class ResultAgent implements Agent {
    /** Ends the runner's loop once the pool has terminated (thrown once per pool, no stack trace). */
    private static final AgentTerminationException TERMINATED =
            new AgentTerminationException("the pool has terminated");
    /** How often the result thread looks for workers connecting to their doorbells. */
    private static final long ACCEPT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How long stopped workers may take to finish their queued tasks and exit before they are killed. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** Results handled in a row before the other duties get their turn. */
    private static final int BURST = 256;

    private final Codec codec;
    private final ResultReader results;
    private final Lifecycle lifecycle;
    private final PendingTasks pending;
    private final WorkerProcesses processes;
    private final Inbox inbox;
    private final Doorbells doorbells;
    private final PoolLog log;
    /** Releases what the pool holds (its space, files, threads) once every worker is gone. */
    private final Runnable release;
    private final WorkerSupervisor supervisor;
    private final String roleName;
    /** When it last accepted doorbell connections. */
    private long lastAccept;
    private long stopDeadline;
    /** The pool has terminated ({@link #finish()} ran): the next cycle end says the agent is done. */
    private boolean finished;

    /**
     * @param roleName the result thread's name
     * @param doorbells null when the pool has none
     */
    ResultAgent(String roleName, Codec codec, ResultReader results, Lifecycle lifecycle, PendingTasks pending,
                WorkerProcesses processes, WorkerSupervisor supervisor, Inbox inbox, Doorbells doorbells, PoolLog log,
                Runnable release) {
        this.codec = codec;
        this.results = results;
        this.lifecycle = lifecycle;
        this.pending = pending;
        this.processes = processes;
        this.supervisor = supervisor;
        this.inbox = inbox;
        this.doorbells = doorbells;
        this.log = log;
        this.release = release;
        this.roleName = roleName;
    }

    @Override
    public String roleName() {
        return roleName;
    }

    /**
     * One duty cycle: a burst of results (up to {@link #BURST}), then the batch listeners, the posted
     * events and the ticks. What a result, a listener or an event throws is reported and the cycle goes on.
     *
     * @return the number of results handled (0: the thread may idle)
     * @throws AgentTerminationException once the pool has terminated: the result thread ends
     */
    @Override
    public int doWork() {
        int work = 0;
        while (work < BURST) {
            Object m;
            try {
                m = results.poll();
            } catch (SerializationException e) {
                log.warn(e.getMessage());
                break;
            } catch (Throwable t) {
                log.report("the result thread", t);
                break;
            }
            if (m == null) {
                break;
            }
            work++;
            try {
                handle(m);
            } catch (Throwable t) {
                log.report("the result thread", t);
            }
        }
        try {
            inbox.runBatchListeners();
            inbox.runEvents();
            tick();
        } catch (Throwable t) {
            log.report("the result thread", t);
        }
        if (finished) {
            throw TERMINATED;
        }
        return work;
    }

    /** Handles every result already in the channel (or handed off by a caller): before the death of a worker is handled. */
    void drainResults() {
        results.drain(this::handle);
    }

    private void handle(Object o) {
        byte[] m = Messages.of(o);
        if (m == null) {
            log.warn("ignoring an unexpected message on the result channel: " + o);
            return;
        }
        switch (Messages.kind(m)) {
            case Messages.DONE:
            case Messages.FAILED: {
                PendingTasks.Pending p = pending.remove(Messages.seq(m));
                if (p != null) {
                    deliver(codec, m, p, pending);
                }
                break;
            }
            case Messages.READY:
                supervisor.ready(Messages.slot(m), Messages.pid(m));
                break;
            case Messages.INIT_FAILED: {
                Throwable error;
                try {
                    error = (Throwable) Messages.decodePayload(codec, m);
                } catch (RuntimeException e) {
                    error = e;
                }
                supervisor.initFailed(Messages.pid(m), error);
                break;
            }
            default:
                log.warn("ignoring a message of kind " + Messages.kind(m) + " on the result channel");
        }
    }

    /**
     * Decodes a task's outcome (the only decode of its results) and completes it. Results that cannot be
     * decoded here (a class the caller lacks) fail that task alone, with the codec's SerializationException.
     * On the result thread, or on the thread of a caller that read its own result ({@link ResultReader}).
     */
    static void deliver(Codec codec, byte[] m, PendingTasks.Pending p, PendingTasks pending) {
        Object[] values;
        Throwable error;
        try {
            if (Messages.kind(m) == Messages.DONE) {
                values = (Object[]) Messages.decodePayload(codec, m);
                error = null;
            } else {
                Messages.Failure f = (Messages.Failure) Messages.decodePayload(codec, m);
                values = f.partial() != null ? f.partial() : new Object[0];
                error = f.error();
            }
        } catch (RuntimeException e) {
            values = new Object[0];
            error = e;
        }
        pending.complete(p, values, error);
    }

    private void tick() {
        if (doorbells != null) {
            long now = System.nanoTime();
            if (now - lastAccept > ACCEPT_EVERY_NANOS) {
                lastAccept = now;
                doorbells.acceptPending();
            }
        }
        int s = lifecycle.state();
        if (s == Lifecycle.RUNNING || s == Lifecycle.CLOSING) {
            supervisor.tick();
            if (s == Lifecycle.CLOSING && lifecycle.quiescent() && pending.isEmpty()) {
                beginStopping();
            }
        } else if (s == Lifecycle.STOPPING) {
            if (System.nanoTime() - stopDeadline > 0) {
                processes.killAll();
            }
            finishIfAllGone();
        } else if (s == Lifecycle.TERMINATING) {
            processes.killAll();
            pending.failAll(lifecycle::cancelled);
            finishIfAllGone();
        }
    }

    private void beginStopping() {
        if (!lifecycle.beginStopping()) {
            return;
        }
        stopDeadline = System.nanoTime() + STOP_GRACE_NANOS;
        try {
            supervisor.stopWorkers();
        } catch (InterruptedException | RuntimeException e) {
            processes.killAll();
        }
    }

    private void finishIfAllGone() {
        if (supervisor.allGone() && processes.isEmpty()) {
            finish();
        }
    }

    private void finish() {
        inbox.runEvents();
        pending.failAll(lifecycle::cancelled);
        lifecycle.finished();
        finished = true;
        pending.failAll(lifecycle::cancelled); // a submit that raced with the end
        supervisor.close();
        release.run();
    }
}
