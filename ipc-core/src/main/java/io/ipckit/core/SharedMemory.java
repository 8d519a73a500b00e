package io.ipckit.core;

import io.ipckit.core.internal.MappedFiles;
import io.ipckit.core.internal.Names;
import io.ipckit.core.internal.Uninterruptible;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A named block of memory shared by the processes of this host (Python's
 * {@code multiprocessing.shared_memory.SharedMemory}): {@link #create(String, int)} makes it,
 * {@link #attach(String)} maps it in another process, {@link #buffer()} reads and writes it with no copy,
 * {@link #unlink()} removes its name. It is a file of {@link Space#defaultParent()} (memory under
 * {@code /dev/shm}) named {@code ipckit-shm-<name>}, readable and writable by its owner only.
 *
 * <p>Typed views make Python's {@code multiprocessing.Array('d', n)} and {@code Value('i')}:
 * {@link #asLongArray()}, {@link #asIntArray()}, {@link #asDoubleArray()}, with atomic get, set, add and
 * compare-and-set per element (see {@link SharedLongArray}). A handle is serializable: pass it (or a typed
 * view) to a task or a {@code Process}, which attaches on first use.
 *
 * <p>As in Python, the block outlives its processes until it is unlinked: call {@link #unlink()} once, when
 * every process is done with it (processes still attached keep their mapping). Safe for any thread; the
 * buffer's contents are not synchronized (use a typed view's atomic operations, or your own protocol).
 */
public final class SharedMemory implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;
    /** Prefix of the block's file name. */
    static final String PREFIX = "ipckit-shm-";

    private final String name;
    private final int size;
    private transient volatile MappedByteBuffer map;
    private transient volatile boolean closed;

    private SharedMemory(String name, int size, MappedByteBuffer map) {
        this.name = name;
        this.size = size;
        this.map = map;
    }

    /**
     * Creates the block {@code name} of {@code size} bytes, zeroed. Any thread.
     *
     * @throws IllegalArgumentException when the name is invalid or {@code size} is not 1 to 2^31 - 1
     * @throws IllegalStateException when a block of that name exists (Python's {@code FileExistsError})
     * @throws UncheckedIOException when it cannot be made (a full file system, say: the memory is written
     *     once at creation, so it is backed for good)
     */
    public static SharedMemory create(String name, int size) {
        Names.validate("shared memory", name);
        if (size <= 0) {
            throw new IllegalArgumentException("shared memory '" + name + "': size must be at least 1 byte, was " + size);
        }
        Path file = fileOf(name);
        try {
            Uninterruptible.call(() -> {
                try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.READ, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                    // zeros through the whole size: the memory is backed now, so a full file system fails
                    // here, clearly, rather than with a SIGBUS at a later write through the mapping
                    ByteBuffer zeros = ByteBuffer.allocate(Math.min(size, 1 << 20));
                    for (long at = 0; at < size; ) {
                        zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
                        at += ch.write(zeros, at);
                    }
                }
                return null;
            });
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("shared memory '" + name + "' exists already (" + file + "); attach to it"
                    + " with SharedMemory.attach(\"" + name + "\") or choose another name", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create shared memory '" + name + "' in " + file + ": " + e, e);
        }
        return new SharedMemory(name, size, mapFile(name, size));
    }

    /** Creates a block of {@code size} bytes under a new random name (see {@link #name()}). */
    public static SharedMemory create(int size) {
        return create("psm_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()), size);
    }

    /**
     * Maps the existing block {@code name}. Any thread.
     *
     * @throws IllegalArgumentException when the name is invalid
     * @throws IllegalStateException when there is no such block (Python's {@code FileNotFoundError})
     */
    public static SharedMemory attach(String name) {
        Names.validate("shared memory", name);
        Path file = fileOf(name);
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no shared memory '" + name + "' (" + file + " does not exist); create it"
                    + " with SharedMemory.create(\"" + name + "\", size)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shared memory '" + name + "': " + e, e);
        }
        return new SharedMemory(name, (int) size, mapFile(name, (int) size));
    }

    private static Path fileOf(String name) {
        return Space.defaultParent().resolve(PREFIX + name);
    }

    private static MappedByteBuffer mapFile(String name, int size) {
        try {
            return MappedFiles.map(fileOf(name), size, "shared memory '" + name + "'");
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("shared memory '" + name + "' was unlinked; create it again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map shared memory '" + name + "': " + e, e);
        }
    }

    /** The block's name, to {@link #attach(String)} to it elsewhere. */
    public String name() {
        return name;
    }

    /** Its size in bytes. */
    public int size() {
        return size;
    }

    /**
     * A new view of the whole block (position 0, limit {@link #size()}, big-endian as every new
     * {@code ByteBuffer}; the typed views use the platform's order). Writes are seen by every process
     * attached. Any thread; each view has its own position.
     *
     * @throws ChannelClosedException when this handle is closed
     */
    public ByteBuffer buffer() {
        return mapped().duplicate().clear();
    }

    /** Its bytes as {@code size / 8} longs, with atomic operations per element. */
    public SharedLongArray asLongArray() {
        return new SharedLongArray(this, size / Long.BYTES);
    }

    /** Its bytes as {@code size / 4} ints, with atomic operations per element. */
    public SharedIntArray asIntArray() {
        return new SharedIntArray(this, size / Integer.BYTES);
    }

    /** Its bytes as {@code size / 8} doubles, with atomic operations per element. */
    public SharedDoubleArray asDoubleArray() {
        return new SharedDoubleArray(this, size / Double.BYTES);
    }

    /** The mapping, made on first use in a process that received this handle. */
    MappedByteBuffer mapped() {
        if (closed) {
            throw new ChannelClosedException("shared memory '" + name + "' is closed in this handle; attach again with"
                    + " SharedMemory.attach(\"" + name + "\")");
        }
        MappedByteBuffer m = map;
        if (m == null) {
            synchronized (this) {
                m = map;
                if (m == null) {
                    m = mapFile(name, size);
                    map = m;
                }
            }
        }
        return m;
    }

    /**
     * This handle stops using the block (Python's {@code close()}); the mapping is released when no view of
     * it is reachable. The block stays for others until {@link #unlink()}. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        map = null;
    }

    /**
     * Removes the block's name (Python's {@code unlink()}): no process can attach any more, and its memory
     * is freed once every process that has it mapped lets go. Call it once, from one process.
     *
     * @throws IllegalStateException when it was unlinked already
     */
    public void unlink() {
        try {
            Files.delete(fileOf(name));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("shared memory '" + name + "' was unlinked already", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink shared memory '" + name + "': " + e, e);
        }
    }

    @Override
    public String toString() {
        return "SharedMemory[" + name + ", " + size + " bytes]";
    }
}
