package io.ipckit.pool.internal.worker;

import io.ipckit.core.Channel;
import io.ipckit.core.Codec;
import io.ipckit.core.RemoteException;
import io.ipckit.core.SerializableRunnable;
import io.ipckit.core.Space;
import io.ipckit.core.internal.ChildMain;
import io.ipckit.core.internal.manager.Connections;
import io.ipckit.core.internal.ProcessWatch;
import io.ipckit.pool.internal.Messages;
import io.ipckit.pool.internal.PoolFiles;
import io.ipckit.pool.internal.TaskShape;
import io.ipckit.pool.internal.WorkerSlots;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Main of a pool worker JVM: {@code WorkerMain <space dir> <slot> <max tasks> <owner pid>}.
 *
 * <p>Runs the initializer (if the pool has one), says {@link Messages.Ready}, then takes tasks from the
 * pool's task channel, competing with the other workers, and puts each outcome on the result channel.
 * Before running a task it writes the task's number in its {@link WorkerSlots slot}, so the caller
 * knows what it had taken if it dies. It exits after {@code max tasks} tasks (0: no limit), when it
 * takes a stop message, and within {@value #WATCH_MILLIS} ms of its owner's death; in that last case
 * it also removes the pool's space directory, which the owner can no longer do.
 */
public final class WorkerMain {
    /** Exit status of a worker whose initializer threw. */
    public static final int INIT_FAILED_STATUS = 70;
    /** Exit status of a worker that ran out of memory. */
    public static final int OOM_STATUS = 3;
    static final long WATCH_MILLIS = 100;
    private static final long SLOTS_WAIT_MILLIS = 120_000;

    private static volatile boolean exiting;
    /** The JVM is shutting down (its hooks are running): the worker takes no new task. */
    private static volatile boolean goingAway;
    private static final FunctionCache FUNCTIONS = new FunctionCache(256);

    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int slot = Integer.parseInt(args[1]);
        int maxTasks = Integer.parseInt(args[2]);
        long owner = Long.parseLong(args[3]);
        watchOwner(owner, dir);
        long pid = ProcessHandle.current().pid();
        // the caller opens the channels while this JVM boots, and publishes the slots file when done
        WorkerSlots slots = WorkerSlots.await(PoolFiles.slots(dir), SLOTS_WAIT_MILLIS);
        slots.setPid(slot, pid);
        // A worker going away (System.exit in a task, SIGTERM) takes no new task, and the one it runs either
        // completes before the JVM halts or dies with it and is reported as a crash (retried when asked):
        // its manager connections stay open until then rather than failing it as if it had thrown.
        Connections.leaveOpenAtExit();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            goingAway = true;
            if (!exiting) {
                slots.setReason(slot, WorkerSlots.REASON_EXIT_CALLED);
            }
        }, "ipckit-pool-worker-exit"));
        Codec codec = Codec.defaults();
        Space space = Space.open(dir);
        Channel<Object> tasks = space.channel(PoolFiles.TASKS);
        Channel<Object> results = space.channel(PoolFiles.RESULTS);
        try {
            initialize(dir, codec);
        } catch (OutOfMemoryError e) {
            die(slots, slot, WorkerSlots.REASON_OOM, OOM_STATUS);
        } catch (Throwable t) {
            results.put(new Messages.InitFailed(slot, pid, encodeError(codec, t)));
            flush();
            exit(slots, slot, INIT_FAILED_STATUS);
        }
        results.put(new Messages.Ready(slot, pid));
        DoorbellWaiter waiter = new DoorbellWaiter(dir, slots, slot);
        int done = 0;
        try {
            while (true) {
                if (goingAway) {
                    awaitHalt(); // the JVM is exiting: claim nothing more
                }
                slots.setState(slot, WorkerSlots.POLLING);
                Object m = waiter.take(tasks);
                if (!(m instanceof Messages.Task)) {
                    System.err.println("ipckit pool worker " + pid + ": ignoring an unexpected message " + m);
                    continue;
                }
                Messages.Task t = (Messages.Task) m;
                if (t.seq() < 0) {
                    break;
                }
                slots.setState(slot, t.seq());
                if (slots.isCancelled(t.seq())) {
                    continue;
                }
                Messages.Done outcome = run(codec, t);
                Thread.interrupted(); // a task that left this thread interrupted must not end the worker
                slots.setTasksDone(slot, ++done); // before the result: whoever sees the result sees the count
                try {
                    results.put(outcome);
                } catch (RuntimeException e) {
                    // e.g. the result is just under the size limit and its envelope just over
                    results.put(failed(codec, t.seq(), new Object[0], e));
                }
                flush();
                if (maxTasks > 0 && done >= maxTasks) {
                    break;
                }
            }
        } catch (OutOfMemoryError e) {
            die(slots, slot, WorkerSlots.REASON_OOM, OOM_STATUS);
        }
        flush();
        exit(slots, slot, 0);
    }

    /** Decoded stateless functions by their encoding, so a map decodes its function once per worker. */
    private static final class FunctionCache extends java.util.LinkedHashMap<FunctionCache.Key, Object> {
        private static final long serialVersionUID = 1L;
        private final int max;

        FunctionCache(int max) {
            super(16, 0.75f, true);
            this.max = max;
        }

        Object get(Codec codec, byte[] bytes) {
            Key k = new Key(bytes);
            Object fn = super.get(k);
            if (fn == null) {
                fn = codec.decode(bytes);
                put(k, fn);
            }
            return fn;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Object> eldest) {
            return size() > max;
        }

        static final class Key {
            final byte[] bytes;
            final int hash;

            Key(byte[] bytes) {
                this.bytes = bytes;
                this.hash = java.util.Arrays.hashCode(bytes);
            }

            @Override
            public int hashCode() {
                return hash;
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Key && java.util.Arrays.equals(bytes, ((Key) o).bytes);
            }
        }
    }

    private static void initialize(Path dir, Codec codec) throws Exception {
        Path init = PoolFiles.initializer(dir);
        if (!Files.exists(init)) {
            return;
        }
        Object fn = codec.decode(Files.readAllBytes(init));
        ((SerializableRunnable) fn).run();
    }

    private static Messages.Done run(Codec codec, Messages.Task t) {
        TaskBody body;
        try {
            boolean cacheable = (t.shape() & TaskShape.CACHEABLE) != 0;
            Object fn = cacheable ? FUNCTIONS.get(codec, t.fn()) : codec.decode(t.fn());
            Object[] args = t.args() == null ? null : (Object[]) codec.decode(t.args());
            body = new TaskBody(t.shape() & TaskShape.SHAPE_MASK, fn, args);
        } catch (RuntimeException | LinkageError e) {
            return failed(codec, t.seq(), new Object[0], e);
        }
        Object[] out = new Object[body.calls()];
        Throwable[] error = new Throwable[1];
        int n = body.run(out, error);
        if (error[0] != null) {
            return failed(codec, t.seq(), java.util.Arrays.copyOf(out, n), error[0]);
        }
        byte[] payload;
        try {
            payload = codec.encode(out);
        } catch (RuntimeException e) {
            return failed(codec, t.seq(), new Object[0], e);
        }
        return new Messages.Done(t.seq(), true, payload);
    }

    private static Messages.Done failed(Codec codec, long seq, Object[] partial, Throwable error) {
        byte[] payload;
        try {
            payload = codec.encode(new Messages.Failure(partial, error));
        } catch (RuntimeException e) {
            payload = encodeError(codec, error);
            payload = codec.encode(new Messages.Failure(new Object[0], (Throwable) codec.decode(payload)));
        }
        return new Messages.Done(seq, false, payload);
    }

    /** Encodes {@code error}, or a stand-in with its text and stack trace when it cannot be encoded. */
    static byte[] encodeError(Codec codec, Throwable error) {
        try {
            return codec.encode(error);
        } catch (RuntimeException e) {
            RemoteException standIn = new RemoteException(error + " (the original exception could not be sent: "
                    + e.getMessage() + ")", null);
            standIn.setStackTrace(error.getStackTrace());
            return codec.encode(standIn);
        }
    }

    private static void flush() {
        System.out.flush();
        System.err.flush();
    }

    private static void die(WorkerSlots slots, int slot, long reason, int status) {
        exiting = true;
        slots.setReason(slot, reason);
        try {
            System.err.println("ipckit pool worker " + ProcessHandle.current().pid() + ": OutOfMemoryError; exiting");
            flush();
        } finally {
            Runtime.getRuntime().halt(status);
        }
    }

    /** Waits for the exit already under way to halt this JVM (a main thread must not call exit then). */
    private static void awaitHalt() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // the halt ends this wait, nothing else
            }
        }
    }

    private static void exit(WorkerSlots slots, int slot, int status) {
        exiting = true;
        slots.setState(slot, WorkerSlots.EXITING);
        Runtime.getRuntime().halt(status);
    }

    private static void watchOwner(long ownerPid, Path dir) {
        ProcessWatch.onDeath(ownerPid, WATCH_MILLIS, "ipckit-pool-owner-watch", () -> ownerGone(ownerPid, dir));
    }

    private static void ownerGone(long ownerPid, Path dir) {
        exiting = true;
        try {
            System.err.println("ipckit pool worker " + ProcessHandle.current().pid() + ": owner " + ownerPid
                    + " died; removing " + dir + " and exiting");
            PoolFiles.deleteQuietly(dir);
        } finally {
            Runtime.getRuntime().halt(ChildMain.PARENT_DIED_STATUS);
        }
    }
}
