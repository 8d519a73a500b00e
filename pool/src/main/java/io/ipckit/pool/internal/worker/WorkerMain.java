package io.ipckit.pool.internal.worker;

import io.ipckit.core.internal.jfr.JfrEvents;
import io.ipckit.pool.internal.PoolJfr;
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

/**
 * Main of a pool worker JVM: {@code WorkerMain <space dir> <slot> <max tasks> <owner pid>}.
 *
 * <p>Runs the initializer (if the pool has one), says {@link Messages#READY}, then takes tasks from the
 * pool's task channel, competing with the other workers, and puts each outcome on the result channel.
 * Before running a task it writes the task's number in its {@link WorkerSlots slot}, so the caller
 * knows what it had taken if it dies. It exits after {@code max tasks} tasks (0: no limit), when it
 * takes a stop message, and within {@value #WATCH_MILLIS} ms of its owner's death; in that last case
 * it also removes the pool's space directory, which the owner can no longer do.
 *
 * <p>Each task is decoded once, straight from its message ({@link Messages}: a header, the function, the
 * arguments), and its outcome encoded once into the result message. A function or arguments that cannot
 * be decoded here fail that task alone, with the codec's SerializationException.
 *
 * <p>Thread role: the worker JVM's main thread, except the owner watch and the exit hook, which only
 * set flags, write the slot's reason and halt.
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
            byte[] error = encodeError(codec, t);
            results.put(Messages.result(Messages.INIT_FAILED, slot, pid, error, error.length));
            flush();
            exit(slots, slot, INIT_FAILED_STATUS);
        }
        results.put(Messages.result(Messages.READY, slot, pid, null, 0));
        DoorbellWaiter waiter = new DoorbellWaiter(dir, slots, slot);
        int done = 0;
        try {
            while (true) {
                if (goingAway) {
                    awaitHalt(); // the JVM is exiting: claim nothing more
                }
                slots.setState(slot, WorkerSlots.POLLING);
                Object o = waiter.take(tasks);
                byte[] t = Messages.of(o);
                if (t == null || (Messages.kind(t) != Messages.TASK && Messages.kind(t) != Messages.STOP)) {
                    System.err.println("ipckit pool worker " + pid + ": ignoring an unexpected message " + o);
                    continue;
                }
                if (Messages.kind(t) == Messages.STOP) {
                    break;
                }
                long seq = Messages.seq(t);
                slots.setState(slot, seq);
                if (slots.isCancelled(seq)) {
                    continue;
                }
                Object event = JfrEvents.on() ? PoolJfr.beginTaskRun() : null;
                byte[] outcome = run(codec, seq, t);
                if (event != null) {
                    PoolJfr.endTaskRun(event, dir.getFileName().toString(), seq, Messages.kind(outcome) == Messages.DONE);
                }
                Thread.interrupted(); // a task that left this thread interrupted must not end the worker
                slots.setTasksDone(slot, ++done); // before the result: whoever sees the result sees the count
                try {
                    results.put(outcome);
                } catch (RuntimeException e) {
                    // e.g. the result is just under the size limit and its message (header and channel framing) just over
                    results.put(failed(codec, seq, new Object[0], e));
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

    private static void initialize(Path dir, Codec codec) throws Exception {
        Path init = PoolFiles.initializer(dir);
        if (!Files.exists(init)) {
            return;
        }
        Object fn = codec.decode(Files.readAllBytes(init));
        ((SerializableRunnable) fn).run();
    }

    /**
     * Runs task {@code seq} of message {@code t}: decodes its function (from the cache when it has no
     * state) and its arguments straight from the message, runs it, and encodes the outcome once into the
     * result message. A function or arguments that cannot be decoded fail this task alone.
     */
    private static byte[] run(Codec codec, long seq, byte[] t) {
        TaskBody body;
        try {
            int shape = Messages.shape(t);
            int fnLength = Messages.functionLength(t);
            Object fn = (shape & TaskShape.CACHEABLE) != 0
                    ? FUNCTIONS.get(codec, t, Messages.HEADER, fnLength)
                    : codec.decode(t, Messages.HEADER, fnLength);
            Object[] args = Messages.payloadLength(t) == 0 ? null : (Object[]) Messages.decodePayload(codec, t);
            body = new TaskBody(shape & TaskShape.SHAPE_MASK, fn, args);
        } catch (RuntimeException | LinkageError e) {
            return failed(codec, seq, new Object[0], e);
        }
        Object[] out = new Object[body.calls()];
        Throwable[] error = new Throwable[1];
        int n = body.run(out, error);
        if (error[0] != null) {
            return failed(codec, seq, java.util.Arrays.copyOf(out, n), error[0]);
        }
        try {
            return encode(codec, Messages.DONE, seq, out);
        } catch (RuntimeException e) {
            return failed(codec, seq, new Object[0], e);
        }
    }

    /** A result message of {@code kind} for task {@code seq} whose payload is {@code value}, encoded once. */
    private static byte[] encode(Codec codec, byte kind, long seq, Object value) {
        byte[][] out = new byte[1][];
        codec.encode(value, (buf, n) -> out[0] = Messages.result(kind, 0, seq, buf, n));
        return out[0];
    }

    private static byte[] failed(Codec codec, long seq, Object[] partial, Throwable error) {
        try {
            return encode(codec, Messages.FAILED, seq, new Messages.Failure(partial, error));
        } catch (RuntimeException e) {
            Throwable sendable = (Throwable) codec.decode(encodeError(codec, error));
            return encode(codec, Messages.FAILED, seq, new Messages.Failure(new Object[0], sendable));
        }
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
