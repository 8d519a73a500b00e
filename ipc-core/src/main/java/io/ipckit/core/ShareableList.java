package io.ipckit.core;

import io.ipckit.core.internal.Backoff;
import io.ipckit.core.internal.MappedFiles;

import java.io.Serializable;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.shared_memory.ShareableList}: a fixed-length list in a named
 * {@link SharedMemory} block, read and written in place by any process of this host that attaches it, with
 * no manager and no copy of the whole. Its items are {@code long}s (any integer given is widened, as Python
 * has one {@code int}), {@code double}s ({@code float} widened), {@code Boolean}s, {@code String}s,
 * {@code byte[]}s and nulls (Python's {@code None}).
 *
 * <pre>{@code
 * ShareableList sl = ShareableList.create("settings", List.of(1, 2.5, "fast", true));
 * // another process:
 * ShareableList same = ShareableList.attach("settings");
 * same.set(2, "slow");                  // a string fits the room its slot was made with
 * }</pre>
 *
 * <p>As in Python the length is fixed, and each slot keeps the room it was made with: 8 bytes for a number,
 * a boolean or null, and for a string (UTF-8) or byte array its initial length rounded up to a multiple of
 * 8 (at least 8). {@link #set} may change an item's type, but a string or byte array longer than its slot
 * is refused with {@link IllegalArgumentException} naming the room (nothing is written); {@code add} and
 * {@code remove} throw {@link UnsupportedOperationException}.
 *
 * <p>Unlike Python's, each item is read and written whole: a slot is guarded by a sequence word (a seqlock),
 * so a reader never sees half of a string another process is writing, and two writers of one slot take
 * turns. A writer's process killed in the middle of a write leaves its slot to the next reader or writer,
 * which notices the death within about 10 ms and takes the slot over (the item is then whatever bytes the
 * dead writer left). Safe for any thread of any process; {@code get} and {@code set} never block longer than
 * another writer's few memory writes. Serializable: pass it to a task or a {@code Process}, which attaches on
 * first use. The block outlives its processes until {@code memory().unlink()}.
 */
public final class ShareableList extends AbstractList<Object> implements RandomAccess, AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;
    private static final VarHandle LONGS = MappedFiles.LONGS;
    private static final VarHandle INTS = MappedFiles.INTS;

    // Layout: a header, then one slot per item, then each item's data (multiples of 8 bytes).
    //
    //   0   magic "IPSLIST1" (long)     8  count (int)     12 unused (int)
    //   16 + 32*i: slot i
    //        +0  seq (long): even when stable, odd while a writer writes
    //        +8  type (int)   +12 capacity (int)   +16 length (int)   +20 writer pid (int)
    //        +24 data offset (long)
    //   data of slot i at its offset: 8 bytes for a number, boolean or null; capacity bytes for text, bytes
    private static final long MAGIC = 0x315453494c535049L; // "IPSLIST1" in little-endian bytes
    private static final int HEADER = 16;
    private static final int SLOT = 32;
    private static final int NONE = 0;
    private static final int LONG = 1;
    private static final int DOUBLE = 2;
    private static final int BOOL = 3;
    private static final int STR = 4;
    private static final int BYTES = 5;
    private static final long DEAD_WRITER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int MY_PID = (int) ProcessHandle.current().pid();

    private final SharedMemory memory;
    private final int count;

    private ShareableList(SharedMemory memory, int count) {
        this.memory = memory;
        this.count = count;
    }

    /**
     * A new list in a new block {@code name} holding {@code items} (Python's {@code ShareableList(sequence,
     * name=name)}). Any thread.
     *
     * @throws IllegalArgumentException when an item is of another type (the message names its index and the
     *                                  types allowed), when the name is invalid
     * @throws IllegalStateException    when a block of that name exists
     */
    public static ShareableList create(String name, List<?> items) {
        Object[] values = items.toArray();
        int[] capacity = new int[values.length];
        long size = HEADER + (long) SLOT * values.length;
        for (int i = 0; i < values.length; i++) {
            Encoded e = encode(values[i], i);
            capacity[i] = e.bytes == null ? 8 : Math.max(8, (e.bytes.length + 7) / 8 * 8);
            size += capacity[i];
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a shareable list needs at most 2 GiB, these " + values.length
                    + " items need " + size + " bytes");
        }
        SharedMemory m = name == null ? SharedMemory.create((int) size) : SharedMemory.create(name, (int) size);
        MappedByteBuffer b = m.mapped();
        INTS.set(b, 8, values.length);
        long offset = HEADER + (long) SLOT * values.length;
        for (int i = 0; i < values.length; i++) {
            int slot = HEADER + SLOT * i;
            INTS.set(b, slot + 12, capacity[i]);
            LONGS.set(b, slot + 24, offset);
            offset += capacity[i];
            write(b, slot, encode(values[i], i));
        }
        LONGS.setRelease(b, 0, MAGIC);
        return new ShareableList(m, values.length);
    }

    /** As {@link #create(String, List)} in a block with a fresh random name ({@link #memory()} tells it). */
    public static ShareableList create(List<?> items) {
        return create(null, items);
    }

    /**
     * The list in the existing block {@code name} (Python's {@code ShareableList(name=name)}). Any thread.
     *
     * @throws IllegalArgumentException when there is no block of that name, or it holds no shareable list
     */
    public static ShareableList attach(String name) {
        SharedMemory m = SharedMemory.attach(name);
        MappedByteBuffer b = m.mapped();
        if (m.size() < HEADER || (long) LONGS.getAcquire(b, 0) != MAGIC) {
            m.close();
            throw new IllegalArgumentException("shared memory '" + name + "' holds no shareable list; attach it"
                    + " with SharedMemory.attach(\"" + name + "\")");
        }
        return new ShareableList(m, (int) INTS.get(b, 8));
    }

    /** The block the list lives in (Python's {@code .shm}): its name, and {@code unlink()} when done. */
    public SharedMemory memory() {
        return memory;
    }

    @Override
    public int size() {
        return count;
    }

    /**
     * Item {@code index}, read whole: a {@code Long}, {@code Double}, {@code Boolean}, {@code String},
     * {@code byte[]} (a copy) or null. Any thread; never blocks longer than a writer's few memory writes.
     *
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code [0, size())}
     */
    @Override
    public Object get(int index) {
        MappedByteBuffer b = memory.mapped();
        int slot = slot(index);
        SlotWait wait = null;
        while (true) {
            long seq = (long) LONGS.getAcquire(b, slot);
            if ((seq & 1) == 0) {
                int type = (int) INTS.get(b, slot + 8);
                int length = (int) INTS.get(b, slot + 16);
                int data = (int) (long) LONGS.get(b, slot + 24);
                Object value = read(b, type, length, data, (int) INTS.get(b, slot + 12));
                VarHandle.acquireFence();
                if ((long) LONGS.getVolatile(b, slot) == seq) {
                    return value;
                }
            }
            if (wait == null) {
                wait = new SlotWait();
            }
            wait.idle(b, slot, seq);
        }
    }

    /**
     * Replaces item {@code index} with {@code value}, written whole (see the class), and returns the item it
     * replaced. Any thread.
     *
     * @throws IllegalArgumentException  when {@code value} is of another type, or a string or byte array
     *                                   longer than the slot's room (the message gives it); nothing is written
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code [0, size())}
     */
    @Override
    public Object set(int index, Object value) {
        MappedByteBuffer b = memory.mapped();
        int slot = slot(index);
        Encoded e = encode(value, index);
        int capacity = (int) INTS.get(b, slot + 12);
        if (e.bytes != null && e.bytes.length > capacity) {
            throw new IllegalArgumentException("shareable list '" + memory.name() + "': item " + index + " has room for "
                    + capacity + " bytes, and this " + (e.type == STR ? "string" : "byte array") + " needs "
                    + e.bytes.length + " (the room of a slot is fixed when the list is made, as in Python)");
        }
        SlotWait wait = null;
        while (true) {
            long seq = (long) LONGS.getVolatile(b, slot);
            if ((seq & 1) == 0 && LONGS.compareAndSet(b, slot, seq, seq + 1)) {
                Object previous = read(b, (int) INTS.get(b, slot + 8), (int) INTS.get(b, slot + 16),
                        (int) (long) LONGS.get(b, slot + 24), capacity);
                INTS.set(b, slot + 20, MY_PID);
                write(b, slot, e);
                LONGS.setRelease(b, slot, seq + 2);
                return previous;
            }
            if (wait == null) {
                wait = new SlotWait();
            }
            wait.idle(b, slot, seq);
        }
    }

    /** Python's {@code count(value)}: how many items equal {@code value} (byte arrays by content). */
    public int count(Object value) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (same(get(i), value)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int indexOf(Object o) {
        for (int i = 0; i < count; i++) {
            if (same(get(i), o)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Python's {@code format}: one struct code per item, {@code q} long, {@code d} double, {@code ?}
     * boolean, {@code Ns} string of room N, {@code Nb} bytes of room N ({@code Np} in Python), {@code x} null.
     */
    public String format() {
        MappedByteBuffer b = memory.mapped();
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int slot = slot(i);
            int capacity = (int) INTS.get(b, slot + 12);
            switch ((int) INTS.getVolatile(b, slot + 8)) {
                case LONG: f.append('q'); break;
                case DOUBLE: f.append('d'); break;
                case BOOL: f.append('?'); break;
                case STR: f.append(capacity).append('s'); break;
                case BYTES: f.append(capacity).append('b'); break;
                default: f.append('x');
            }
        }
        return f.toString();
    }

    /** This handle stops using the block (Python's {@code shm.close()}); it stays for others. Idempotent. */
    @Override
    public void close() {
        memory.close();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ShareableList[");
        for (int i = 0; i < count; i++) {
            Object v = get(i);
            s.append(i == 0 ? "" : ", ").append(v instanceof byte[] ? Arrays.toString((byte[]) v) : v);
        }
        return s.append("] in '").append(memory.name()).append("'").toString();
    }

    private int slot(int index) {
        return HEADER + SLOT * Objects.checkIndex(index, count);
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof byte[] && b instanceof byte[]) {
            return Arrays.equals((byte[]) a, (byte[]) b);
        }
        return Objects.equals(a, b instanceof Integer || b instanceof Short || b instanceof Byte
                ? (Object) ((Number) b).longValue() : b instanceof Float ? (Object) ((Float) b).doubleValue() : b);
    }

    /** A reader's or writer's wait for a slot another writer holds: backs off, and takes it from a dead one. */
    private static final class SlotWait {
        private final Backoff backoff = new Backoff();
        private long checked = System.nanoTime();

        void idle(MappedByteBuffer b, int slot, long seq) {
            if (System.nanoTime() - checked > DEAD_WRITER_CHECK_NANOS) {
                takeOverFromDeadWriter(b, slot, seq);
                checked = System.nanoTime();
            }
            backoff.idle();
        }
    }

    /** A waiter saw slot {@code slot} odd since {@code seq}: when its writer died, make it even again. */
    private static void takeOverFromDeadWriter(MappedByteBuffer b, int slot, long seq) {
        if ((seq & 1) == 0 || (long) LONGS.getVolatile(b, slot) != seq) {
            return;
        }
        int writer = (int) INTS.getVolatile(b, slot + 20);
        boolean alive = writer != 0 && ProcessHandle.of(writer).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
            LONGS.compareAndSet(b, slot, seq, seq + 1);
        }
    }

    private static Object read(MappedByteBuffer b, int type, int length, int data, int capacity) {
        switch (type) {
            case LONG:
                return (long) LONGS.get(b, data);
            case DOUBLE:
                return Double.longBitsToDouble((long) LONGS.get(b, data));
            case BOOL:
                return (long) LONGS.get(b, data) != 0;
            case STR:
            case BYTES: {
                byte[] bytes = new byte[Math.max(0, Math.min(length, capacity))];
                b.get(data, bytes);
                return type == STR ? new String(bytes, StandardCharsets.UTF_8) : bytes;
            }
            default:
                return null;
        }
    }

    private static void write(MappedByteBuffer b, int slot, Encoded e) {
        int data = (int) (long) LONGS.get(b, slot + 24);
        INTS.set(b, slot + 8, e.type);
        if (e.bytes != null) {
            b.put(data, e.bytes);
            INTS.set(b, slot + 16, e.bytes.length);
        } else {
            LONGS.set(b, data, e.bits);
            INTS.set(b, slot + 16, 8);
        }
    }

    private static Encoded encode(Object v, int index) {
        if (v == null) {
            return new Encoded(NONE, 0, null);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return new Encoded(LONG, ((Number) v).longValue(), null);
        }
        if (v instanceof Double || v instanceof Float) {
            return new Encoded(DOUBLE, Double.doubleToRawLongBits(((Number) v).doubleValue()), null);
        }
        if (v instanceof Boolean) {
            return new Encoded(BOOL, (Boolean) v ? 1 : 0, null);
        }
        if (v instanceof String) {
            return new Encoded(STR, 0, ((String) v).getBytes(StandardCharsets.UTF_8));
        }
        if (v instanceof byte[]) {
            return new Encoded(BYTES, 0, ((byte[]) v).clone());
        }
        throw new IllegalArgumentException("a shareable list holds integers, floating-point numbers, booleans,"
                + " strings, byte arrays and nulls; item " + index + " is a " + v.getClass().getName());
    }

    /** An item ready to write: its type, and its bits (numbers) or bytes (text, bytes). */
    private static final class Encoded {
        final int type;
        final long bits;
        final byte[] bytes;

        Encoded(int type, long bits, byte[] bytes) {
            this.type = type;
            this.bits = bits;
            this.bytes = bytes;
        }
    }
}
