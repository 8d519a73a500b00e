package io.ipckit.core.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Small fixed-size files that several processes map and update with atomic operations (a channel's
 * counters, the manager's shared longs). A file is created complete: its header is written to a
 * temporary file that is then hard-linked into place, so no process maps a half-written header; when two
 * processes create it at once, the first link wins and both map that file. Creating and mapping do not
 * depend on the caller's interrupt flag ({@link Uninterruptible}).
 */
public final class MappedFiles {
    /** Atomic access to native-order longs of a mapped buffer (offsets must be 8-byte aligned). */
    public static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /** Atomic access to native-order ints of a mapped buffer (offsets must be 4-byte aligned). */
    public static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private MappedFiles() {
    }

    /**
     * Maps {@code file} read-write, first creating it with {@code size} bytes whose header {@code init}
     * writes (into a native-order buffer) when it does not exist.
     *
     * @param what names the file in messages ("channel state", "values file")
     * @throws IOException when it cannot be created or mapped
     * @throws IllegalStateException when it exists but is shorter than {@code size}
     */
    public static MappedByteBuffer createOrMap(Path file, int size, String what, Consumer<ByteBuffer> init)
            throws IOException {
        if (!Files.exists(file)) {
            Uninterruptible.call(() -> {
                createAtomically(file, size, init);
                return null;
            });
        }
        return map(file, size, what);
    }

    /**
     * Maps the existing {@code file} read-write.
     *
     * @throws java.nio.file.NoSuchFileException when it does not exist
     * @throws IllegalStateException when it is shorter than {@code size}
     */
    public static MappedByteBuffer map(Path file, int size, String what) throws IOException {
        return Uninterruptible.call(() -> mapOnce(file, size, what));
    }

    private static MappedByteBuffer mapOnce(Path file, int size, String what) throws IOException {
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() < size) {
                throw new IllegalStateException("corrupt " + what + " " + file + ": " + ch.size() + " bytes, expected "
                        + size + "; remove it (and what it belongs to) to start afresh");
            }
            map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
        map.order(ByteOrder.nativeOrder());
        return map;
    }

    private static void createAtomically(Path file, int size, Consumer<ByteBuffer> init) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        ByteBuffer content = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        init.accept(content);
        content.clear();
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                while (content.hasRemaining()) {
                    ch.write(content);
                }
            }
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException raced) {
            // another process created it first: use theirs
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
