package io.ipckit.pool.internal;

import java.nio.file.Path;

/**
 * The pool's doorbells: how a task wakes a worker that sleeps because the pool was idle, instead of the
 * worker polling the task channel every few milliseconds for ever. The caller's end is
 * {@code caller.Doorbells}, the worker's end {@code worker.DoorbellWaiter}; this class holds what both
 * must agree on. Constants only.
 *
 * <p>The caller listens on a Unix domain socket in the pool's space ({@link #socketFile}). A worker that
 * goes idle past its spin and yield phase connects once and says which slot it is; the caller answers
 * with one byte when it has registered the connection. From then on, an idle worker sleeps on its socket:
 *
 * <pre>
 * worker  -> caller   hello: slot (int32, native order), once per connection
 * caller  -> worker   ACK  (1 byte): registered; the worker may sleep on this socket from now on
 * caller  -> worker   RING (1 byte): a task (or a stop message) was put on the task channel
 * </pre>
 *
 * <p>Who sleeps is in the worker's {@link WorkerSlots} slot ({@code sleeping}, +32), and how many may
 * sleep in the file's header ({@code sleepers}, +16, apart from the lines busy workers write). A worker
 * sets both, fences, and polls the task channel once more before it sleeps; the caller puts a task,
 * fences, reads the count and, when it is not 0, the flags, ringing the first sleeper whose flag it takes
 * from 1 to 0. So either the worker sees
 * the task or the caller sees the worker asleep: no task waits for a worker that does not know of it.
 * A ring nobody needed (the worker found the task itself) costs the worker one spurious wake-up.
 */
public final class DoorbellProtocol {
    /** Length of a worker's hello: its slot, an int32 in native order. */
    public static final int HELLO_BYTES = 4;
    /** Caller to worker: the connection is registered. */
    public static final byte ACK = 1;
    /** Caller to worker: a message was put on the task channel. */
    public static final byte RING = 2;

    private DoorbellProtocol() {
    }

    /** The socket of the pool in {@code spaceDir}. */
    public static Path socketFile(Path spaceDir) {
        return spaceDir.resolve("pool-doorbell.sock");
    }
}
