package io.ipckit.pool.internal.caller;

import io.ipckit.core.internal.jfr.JfrEvents;
import io.ipckit.pool.internal.PoolJfr;
import io.ipckit.core.Codec;
import io.ipckit.pool.WorkerCrashedException;
import io.ipckit.pool.internal.Messages;
import io.ipckit.pool.internal.WorkerSlots;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps a pool's worker JVMs: boots them a few at a time, notices each one ready, replaces each one that
 * dies, and fails (or queues again) the task it was running; kills a worker whose task is past the
 * per-task timeout; stops them when the pool closes.
 *
 * <p>Each worker writes the number of the task it runs in its {@link WorkerSlots slot}. When a worker
 * dies, the supervisor first has every result already in the channel handled, then fails (or queues
 * again, when retries are allowed) the task the slot names with a {@link WorkerCrashedException}, and
 * starts a replacement. A worker that died between claiming a task and announcing it is found by
 * {@link ClaimScanner}. Replacement workers that keep dying before they are ready break the pool
 * ({@link #MAX_EARLY_DEATHS}, {@link #MAX_KILLED_EARLY}).
 *
 * <p>Thread role: the result thread only (its constructor runs on the thread creating the pool, before
 * the result thread starts). Deaths reach it as events posted to the {@link Inbox} by the JDK's
 * process reaper.
 */
final class WorkerSupervisor {
    /** Replacement workers in a row that die by themselves before they are ready: the pool is broken. */
    private static final int MAX_EARLY_DEATHS = 3;
    /**
     * Replacement workers in a row killed with SIGKILL before they are ready: the pool stops replacing
     * them. More than {@link #MAX_EARLY_DEATHS}, since one kill from outside says nothing of the pool; but
     * a kernel whose OOM killer takes every new worker would otherwise have the pool start JVMs for ever.
     */
    private static final int MAX_KILLED_EARLY = 5;
    /** Exit status of a process killed by SIGKILL (128 + 9). */
    private static final int SIGKILL_STATUS = 137;
    /**
     * Workers that boot at first, before any is ready: a booting JVM keeps about one and a half cores busy
     * (its main thread and the JIT compilers), so on a small machine workers booting together slow each
     * other down, and the first of them is ready later than if it had booted alone. Once one worker is
     * ready (the pool gives results), all the others boot together: on two cores a pool of four was all
     * ready in 1.90-2.41 s, against 2.29-3.19 s when each waited for the one before it
     * ({@code bench --only pool.startup}, {@code pool.startup.all_ready}).
     */
    static final int BOOT_AT_ONCE = Integer.getInteger("ipckit.pool.bootAtOnce",
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    /** A worker still booting after this long no longer holds back the next one (a slow initializer). */
    private static final long BOOT_STAGGER_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Long.getLong("ipckit.pool.bootStaggerMillis", 1_000));

    private final Config config;
    private final Lifecycle lifecycle;
    private final CompletableFuture<Void> started;
    private final PendingTasks pending;
    private final WorkerProcesses processes;
    private final Inbox inbox;
    private final WorkerLauncher launcher;
    private final WorkerSlots slots;
    private final TaskQueue tasks;
    private final Path spaceDir;
    private final Codec codec;
    private final PoolLog log;
    /** Has the result thread handle every result already in the channel. */
    private final Runnable drainResults;
    private final long startDeadline;
    private final Worker[] workers;
    /** Slots {@code 0..spawned-1} have had a worker; the others wait their turn to boot. */
    private int spawned;
    /** When the last slot got its first worker. */
    private long lastFirstSpawn;
    private int slotsReady;
    private int earlyDeaths;
    private int killedEarly;
    private ClaimScanner scanner;

    /**
     * @param initial the workers started while the pool was being created, for slots {@code 0..n-1}
     * @param drainResults handles every result already in the result channel (before a death is handled)
     */
    WorkerSupervisor(Config config, Lifecycle lifecycle, PendingTasks pending, WorkerProcesses processes, Inbox inbox,
                     WorkerLauncher launcher, WorkerSlots slots, TaskQueue tasks, Path spaceDir, Codec codec, PoolLog log,
                     Runnable drainResults, List<WorkerLauncher.Launched> initial, long startDeadline, long lastFirstSpawn) {
        this.config = config;
        this.lifecycle = lifecycle;
        this.started = lifecycle.started();
        this.pending = pending;
        this.processes = processes;
        this.inbox = inbox;
        this.launcher = launcher;
        this.slots = slots;
        this.tasks = tasks;
        this.spaceDir = spaceDir;
        this.codec = codec;
        this.log = log;
        this.drainResults = drainResults;
        this.startDeadline = startDeadline;
        this.lastFirstSpawn = lastFirstSpawn;
        this.workers = new Worker[config.size()];
        for (WorkerLauncher.Launched l : initial) {
            adopt(spawned++, l);
        }
    }

    /** Boots the next worker when it is time, and fails what ran out of time. Running or closing pools. */
    void tick() {
        bootNext(false);
        if (!started.isDone() && System.nanoTime() - startDeadline > 0) {
            started.completeExceptionally(new IllegalStateException("pool '" + config.name() + "': "
                    + processes.readyCount() + " of its " + config.size() + " workers were ready after "
                    + TimeUnit.NANOSECONDS.toMillis(config.startupTimeoutNanos()) + " ms (initializer still "
                    + "running, or the machine is overloaded); raise startupTimeout"));
        }
        if (config.taskTimeoutNanos() > 0) {
            checkTimeouts();
        }
    }

    /** The worker of {@code slot} (if it is the one with {@code pid}) said it is ready. */
    void ready(int slot, long pid) {
        Worker w = workers[slot];
        if (w != null && w.process.pid() == pid && !w.ready) {
            w.ready = true;
            if (w.startEvent != null) {
                PoolJfr.endWorkerStart(w.startEvent, config.name(), slot, pid);
            }
            processes.addReady(1);
            earlyDeaths = 0;
            killedEarly = 0;
            if (!started.isDone() && ++slotsReady == workers.length) {
                started.complete(null);
            }
            bootNext(true);
        }
    }

    /** The initializer threw {@code error} in the worker with {@code pid}: the pool cannot start, or breaks. */
    void initFailed(long pid, Throwable error) {
        if (!started.isDone()) {
            started.completeExceptionally(error);
        } else {
            breakPool(new IllegalStateException("the initializer of pool '" + config.name()
                    + "' threw in a replacement worker (pid " + pid + ")", error));
        }
    }

    /** Whether every slot has a worker and each is ready. */
    boolean allReady() {
        for (Worker w : workers) {
            if (w == null || !w.ready) {
                return false;
            }
        }
        return true;
    }

    /** Whether no slot has a worker left (each exited and was not replaced). */
    boolean allGone() {
        for (Worker w : workers) {
            if (w != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Tells every ready worker to stop (after the tasks queued before) and kills those still booting,
     * which hold no task (none is pending when a pool stops) and would only make close() slower.
     *
     * @throws InterruptedException when a stop message cannot be put
     */
    void stopWorkers() throws InterruptedException {
        for (Worker w : workers) {
            if (w != null && w.ready) {
                tasks.put(Messages.stop());
            } else if (w != null) {
                w.killed = true;
                w.process.destroyForcibly();
            }
        }
    }

    /** Kills (and so replaces) the worker running task {@code seq}, if one does. */
    void killRunning(long seq) {
        for (Worker w : workers) {
            if (w != null && slots.state(w.slot) == seq) {
                w.killed = true;
                w.process.destroyForcibly();
            }
        }
    }

    /** Releases the claim scanner, once the pool ends. */
    void close() {
        if (scanner != null) {
            try {
                scanner.close();
            } catch (RuntimeException e) {
                log.report("closing the claim scanner", e);
            }
        }
    }

    /**
     * Gives every slot that never had a worker its first one once a worker is ready, or the next such
     * slot when the last first-spawn is {@link #BOOT_STAGGER_NANOS} old and none is ready yet (a slow
     * initializer). Not once the pool stops: a late worker would miss its STOP.
     */
    private void bootNext(boolean oneReady) {
        long now = System.nanoTime();
        boolean allNow = oneReady || processes.readyCount() > 0;
        if (!allNow && now - lastFirstSpawn <= BOOT_STAGGER_NANOS) {
            return;
        }
        while (spawned < workers.length && lifecycle.state() < Lifecycle.STOPPING) {
            lastFirstSpawn = now;
            try {
                spawn(spawned++);
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
                return;
            }
            if (!allNow) {
                return;
            }
        }
    }

    private void breakPool(Throwable cause) {
        if (lifecycle.terminate(cause)) {
            processes.killAll();
        }
    }

    private void checkTimeouts() {
        long now = System.nanoTime();
        for (Worker w : workers) {
            if (w == null || !w.ready || w.killed) {
                continue;
            }
            long s = slots.state(w.slot);
            if (s < 0) {
                continue;
            }
            if (s != w.seenSeq) {
                w.seenSeq = s;
                w.seenAt = now;
            } else if (now - w.seenAt > config.taskTimeoutNanos() && pending.contains(s)) {
                w.killed = true;
                w.process.destroyForcibly();
                pending.fail(s, new TimeoutException("task " + s + " of pool '" + config.name() + "' ran longer than its timeout of "
                        + TimeUnit.NANOSECONDS.toMillis(config.taskTimeoutNanos()) + " ms; its worker (pid "
                        + w.process.pid() + ") was killed and is being replaced"));
            }
        }
    }

    /** Starts a replacement (or first) worker for {@code slot}. */
    private void spawn(int slot) {
        slots.reset(slot);
        adopt(slot, launcher.launch(slot));
    }

    private void adopt(int slot, WorkerLauncher.Launched l) {
        java.lang.Process p = l.process();
        Worker w = new Worker(slot, p, l.options());
        workers[slot] = w;
        processes.add(p);
        p.onExit().thenRun(() -> inbox.post(() -> workerDied(w)));
        if (lifecycle.isTerminating()) {
            p.destroyForcibly();
        }
    }

    private void workerDied(Worker w) {
        if (JfrEvents.on()) {
            PoolJfr.workerDeath(config.name(), w.slot, w.process.pid(), w.process.exitValue(), w.ready);
        }
        processes.remove(w.process.pid());
        if (w.ready) {
            processes.addReady(-1);
        }
        launcher.exited(w.options, w.process.exitValue());
        if (workers[w.slot] != w) {
            return;
        }
        drainResults.run();
        workers[w.slot] = null;
        int status = w.process.exitValue();
        long slotState = slots.state(w.slot);
        long reason = slots.reason(w.slot);
        if (lifecycle.state() >= Lifecycle.STOPPING) {
            return;
        }
        if (!w.ready) {
            String why = "pool '" + config.name() + "': worker " + w.slot + " (pid " + w.process.pid()
                    + ") exited with " + WorkerCrashedException.describeStatus(status)
                    + " before it was ready; check the worker JVM options " + config.jvmOptions()
                    + " and its output";
            if (!started.isDone()) {
                started.completeExceptionally(new IllegalStateException(why));
                return;
            }
            // A worker killed from outside (SIGKILL: kill -9, the OOM killer) says little about its
            // configuration: such deaths have a limit of their own, higher than deaths of its own.
            if (status == SIGKILL_STATUS) {
                if (++killedEarly >= MAX_KILLED_EARLY) {
                    breakPool(new IllegalStateException(why + " (" + killedEarly + " replacement workers in a row "
                            + "were killed with SIGKILL before they were ready, by kill -9 or the kernel's "
                            + "out-of-memory killer (see dmesg): the pool stops replacing them)"));
                    return;
                }
            } else if (++earlyDeaths >= MAX_EARLY_DEATHS) {
                breakPool(new IllegalStateException(why + " (" + earlyDeaths + " replacement workers in a row)"));
                return;
            }
        }
        String crash = "worker " + w.slot + " (pid " + w.process.pid() + ") of pool '" + config.name() + "' died ("
                + WorkerCrashedException.describeStatus(status) + describeReason(reason, status) + ")";
        if (slotState >= 0) {
            lost(slotState, w, crash, status);
        } else if (slotState == WorkerSlots.POLLING && w.ready) {
            for (long seq : scanClaims(w)) {
                lost(seq, w, crash, status);
            }
        }
        try {
            spawn(w.slot);
        } catch (RuntimeException e) {
            breakPool(e);
        }
    }

    private static String describeReason(long reason, int status) {
        if (reason == WorkerSlots.REASON_OOM) {
            return " after an OutOfMemoryError; give workers more heap with workerJvmOptions(\"-Xmx...\")";
        }
        if (reason == WorkerSlots.REASON_EXIT_CALLED && status != 143) {
            return ": the task called System.exit(" + status + ")";
        }
        return "";
    }

    /** Task {@code seq} died with its worker: queued again while it has retries left, else failed. */
    private void lost(long seq, Worker w, String crash, int status) {
        PendingTasks.Pending p = pending.get(seq);
        if (p == null) {
            return;
        }
        if (p.body != null && p.attempts < config.retries()) {
            p.attempts++;
            try {
                tasks.put(p.body.message(seq));
                return;
            } catch (InterruptedException | RuntimeException e) {
                // cannot queue it again: fail it below
            }
        }
        String message = crash + " while running task " + seq
                + (p.attempts > 0 ? " (attempt " + (p.attempts + 1) + " of " + (config.retries() + 1) + ")" : "")
                + "; a new worker takes its place";
        pending.fail(seq, new WorkerCrashedException(message, w.process.pid(), status));
    }

    private List<Long> scanClaims(Worker dead) {
        try {
            if (scanner == null) {
                scanner = new ClaimScanner(spaceDir, codec);
            }
            Set<Integer> polling = new HashSet<>();
            Set<Long> running = new HashSet<>();
            for (Worker w : workers) {
                if (w != null) {
                    long s = slots.state(w.slot);
                    if (s == WorkerSlots.POLLING) {
                        polling.add((int) w.process.pid());
                    } else if (s >= 0) {
                        running.add(s);
                    }
                }
            }
            List<Long> claimed = new ArrayList<>();
            for (long seq : scanner.claimedBy((int) dead.process.pid(), polling)) {
                if (!running.contains(seq) && pending.contains(seq)) {
                    claimed.add(seq);
                }
            }
            return claimed;
        } catch (RuntimeException e) {
            log.report("looking for the tasks of dead worker " + dead.process.pid(), e);
            return List.of();
        }
    }

    /** One worker JVM in its slot; the result thread's. */
    private static final class Worker {
        final int slot;
        final java.lang.Process process;
        final List<String> options;
        boolean ready;
        boolean killed;
        long seenSeq = -1;
        long seenAt;
        /** Its begun JFR start event, when a recording ran at its spawn; else null. */
        final Object startEvent;

        Worker(int slot, java.lang.Process process, List<String> options) {
            this.slot = slot;
            this.process = process;
            this.options = options;
            this.startEvent = JfrEvents.on() ? PoolJfr.beginWorkerStart() : null;
        }
    }
}
