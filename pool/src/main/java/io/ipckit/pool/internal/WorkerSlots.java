package io.ipckit.pool.internal;

import io.ipckit.core.internal.Uninterruptible;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A small memory-mapped file shared by a pool's caller and its workers: one slot per worker, in
 * which the worker announces what it is doing, and a ring of cancelled task numbers.
 *
 * <pre>
 * offset            size         field
 *      0               8         magic
 *      8               8         slot count n
 *     16               8         sleepers: workers that set their sleeping flag and have not cleared it
 *     64          64 * n         slots, one per worker (below)
 * 64 + 64 n     8 * RING         cancel ring: ring[seq % RING] == seq when task seq was cancelled
 *
 * one slot (64 bytes, one cache line):
 * +0  state       task seq when running, else STARTING, POLLING or EXITING (negative)
 * +8  pid         the worker JVM's pid (0 until it announces itself)
 * +16 reason      why it is about to die, when it knows (REASON_*)
 * +24 tasks done  task messages (a map chunk is one) this worker has completed
 * +32 sleeping    1 while the worker sleeps on its doorbell ({@link Doorbells}), else 0
 * +40 .. +63      unused
 * </pre>
 *
 * A worker writes only its own slot (release stores), the caller and {@code ipckit inspect} read it
 * (acquire loads): when the caller sees a worker dead, the slot says which task it had taken. Safe for
 * any thread.
 */
public final class WorkerSlots {
    /** Slot state: the JVM is starting or running its initializer. */
    public static final long STARTING = -2;
    /** Slot state: waiting for a task (it may have claimed one it has not announced yet). */
    public static final long POLLING = -1;
    /** Slot state: exiting by itself (max tasks reached, or told to stop); holds no task. */
    public static final long EXITING = -3;
    /** Reason: none known. */
    public static final long REASON_NONE = 0;
    /** Reason: the task (or the worker) ran out of memory. */
    public static final long REASON_OOM = 1;
    /** Reason: something called System.exit. */
    public static final long REASON_EXIT_CALLED = 2;

    static final int RING = 1 << 14;
    private static final long MAGIC = 0x6970636b69745031L; // "ipckitP1"
    private static final int HEADER = 64;
    private static final int SLEEPERS = 16;
    private static final int SLOT_BYTES = 64;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final MappedByteBuffer buffer;
    private final int slots;

    private WorkerSlots(MappedByteBuffer buffer, int slots) {
        this.buffer = buffer;
        this.slots = slots;
    }

    /**
     * Creates the file for {@code slots} workers under a temporary name, then renames it to {@code file}
     * in one step: a worker that sees the file sees it whole.
     */
    public static WorkerSlots publish(Path file, int slots) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        WorkerSlots s = create(tmp, slots);
        try {
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish the worker slots file " + file + ": " + e, e);
        }
        return s;
    }

    /**
     * Creates the file for {@code slots} workers. The file is opened and mapped whatever the calling
     * thread's interrupt flag ({@link Uninterruptible}), which it finds as it was.
     */
    public static WorkerSlots create(Path file, int slots) {
        long size = HEADER + (long) SLOT_BYTES * slots + 8L * RING;
        boolean[] tried = new boolean[1];
        try {
            MappedByteBuffer b = Uninterruptible.call(() -> {
                if (tried[0]) {
                    java.nio.file.Files.deleteIfExists(file); // an interrupt during the last attempt closed it half made
                }
                tried[0] = true;
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
                    return ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
                }
            });
            WorkerSlots s = new WorkerSlots(b, slots);
            LONGS.setVolatile(b, 8, (long) slots);
            for (int i = 0; i < slots; i++) {
                s.reset(i);
            }
            LONGS.setVolatile(b, 0, MAGIC);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the worker slots file " + file + ": " + e, e);
        }
    }

    /**
     * Opens the file a caller publishes (a worker does), waiting for it up to {@code waitMillis}.
     *
     * @throws IllegalStateException when it does not appear in time
     */
    public static WorkerSlots await(Path file, long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (!java.nio.file.Files.exists(file)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(file + " did not appear within " + waitMillis + " ms");
            }
            Thread.sleep(2);
        }
        return open(file);
    }

    /** Opens the file a caller created, whatever the calling thread's interrupt flag ({@link Uninterruptible}). */
    public static WorkerSlots open(Path file) {
        MappedByteBuffer b;
        try {
            b = Uninterruptible.call(() -> {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    return ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the worker slots file " + file + ": " + e, e);
        }
        if ((long) LONGS.getVolatile(b, 0) != MAGIC) {
            throw new IllegalStateException(file + " is not an ipckit worker slots file");
        }
        return new WorkerSlots(b, (int) (long) LONGS.getVolatile(b, 8));
    }

    /** Number of slots. */
    public int size() {
        return slots;
    }

    /** Clears a slot before a new worker takes it. */
    public void reset(int slot) {
        int base = base(slot);
        LONGS.setVolatile(buffer, base + 8, 0L);
        LONGS.setVolatile(buffer, base + 16, REASON_NONE);
        LONGS.setVolatile(buffer, base + 24, 0L);
        LONGS.setVolatile(buffer, base + 32, 0L);
        LONGS.setVolatile(buffer, base, STARTING);
    }

    public void setState(int slot, long state) {
        LONGS.setRelease(buffer, base(slot), state);
    }

    public long state(int slot) {
        return (long) LONGS.getAcquire(buffer, base(slot));
    }

    public void setPid(int slot, long pid) {
        LONGS.setRelease(buffer, base(slot) + 8, pid);
    }

    public long pid(int slot) {
        return (long) LONGS.getAcquire(buffer, base(slot) + 8);
    }

    public void setReason(int slot, long reason) {
        LONGS.setVolatile(buffer, base(slot) + 16, reason);
    }

    public long reason(int slot) {
        return (long) LONGS.getVolatile(buffer, base(slot) + 16);
    }

    /** Counts the task messages the worker of {@code slot} has completed. */
    public void setTasksDone(int slot, long done) {
        LONGS.setRelease(buffer, base(slot) + 24, done);
    }

    public long tasksDone(int slot) {
        return (long) LONGS.getAcquire(buffer, base(slot) + 24);
    }

    /**
     * The worker of {@code slot} is about to sleep on its doorbell, or is awake again (calls alternate,
     * starting with true). Its worker only.
     */
    public void setSleeping(int slot, boolean sleeping) {
        if (sleeping) {
            LONGS.getAndAdd(buffer, SLEEPERS, 1L);
            LONGS.setVolatile(buffer, base(slot) + 32, 1L);
        } else {
            LONGS.setVolatile(buffer, base(slot) + 32, 0L);
            LONGS.getAndAdd(buffer, SLEEPERS, -1L);
        }
    }

    /**
     * At least the number of workers asleep on their doorbells (a worker killed asleep stays counted):
     * 0 means none sleeps, so a put need not look at the slots.
     */
    public long sleepers() {
        return (long) LONGS.getVolatile(buffer, SLEEPERS);
    }

    /** Whether the worker of {@code slot} sleeps on its doorbell. */
    public boolean sleeping(int slot) {
        return (long) LONGS.getVolatile(buffer, base(slot) + 32) != 0;
    }

    /** Takes the right to wake the worker of {@code slot}: true for exactly one caller per sleep. */
    public boolean claimWake(int slot) {
        return LONGS.compareAndSet(buffer, base(slot) + 32, 1L, 0L);
    }

    /** Marks task {@code seq} cancelled, so a worker that takes it skips it. */
    public void cancel(long seq) {
        LONGS.setVolatile(buffer, ringOffset(seq), seq);
    }

    /**
     * Whether task {@code seq} was cancelled. A cancellation can be lost (the task then runs and its
     * result is dropped) only when another cancelled task with the same number modulo {@value #RING}
     * overwrote it; never the other way round.
     */
    public boolean isCancelled(long seq) {
        return (long) LONGS.getVolatile(buffer, ringOffset(seq)) == seq;
    }

    /** The numbers of the tasks the workers run now; a snapshot. */
    public java.util.Set<Long> runningTasks() {
        java.util.Set<Long> running = new java.util.HashSet<>();
        for (int i = 0; i < slots; i++) {
            long s = state(i);
            if (s >= 0) {
                running.add(s);
            }
        }
        return running;
    }

    private int base(int slot) {
        if (slot < 0 || slot >= slots) {
            throw new IndexOutOfBoundsException("worker slot " + slot + " of " + slots);
        }
        return HEADER + SLOT_BYTES * slot;
    }

    private int ringOffset(long seq) {
        return HEADER + SLOT_BYTES * slots + 8 * (int) (seq & (RING - 1));
    }
}
