package io.ipckit.core;

import java.io.Serializable;
import java.nio.MappedByteBuffer;
import java.util.Objects;

/**
 * What the typed views of a {@link SharedMemory} share: the block, the element count, index checks.
 * Elements are in the platform's byte order, each aligned to its width, so every access is atomic.
 */
abstract class SharedArray implements Serializable {
    private static final long serialVersionUID = 1L;
    private final SharedMemory memory;
    private final int length;

    SharedArray(SharedMemory memory, int length) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.length = length;
    }

    /** The number of elements. */
    public int length() {
        return length;
    }

    /** The block this array is a view of (to {@link SharedMemory#unlink()} it, say). */
    public SharedMemory memory() {
        return memory;
    }

    final MappedByteBuffer buffer() {
        return memory.mapped();
    }

    /** The byte offset of element {@code index} of {@code width} bytes. */
    final int at(int index, int width) {
        return Objects.checkIndex(index, length) * width;
    }

    static int bytes(String kind, int length, int width) {
        if (length <= 0 || length > Integer.MAX_VALUE / width) {
            throw new IllegalArgumentException("a shared " + kind + " array needs 1 to " + Integer.MAX_VALUE / width
                    + " elements, not " + length);
        }
        return length * width;
    }
}
