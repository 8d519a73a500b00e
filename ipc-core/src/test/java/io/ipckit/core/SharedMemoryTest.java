package io.ipckit.core;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.HandleChildMain;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.SharedObjectsChildMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python's {@code shared_memory.SharedMemory} and {@code Array}: a named block, typed views, atomic across JVMs. */
class SharedMemoryTest extends LeakCheckingTest {
    @TempDir
    Path work;

    private static String name(String what) {
        return what + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @Test
    void createAttachWriteRead_unlink_thenTheNameIsGone_badInputNamed() throws Exception {
        String name = name("block");
        SharedMemory a = SharedMemory.create(name, 100);
        try {
            assertEquals(100, a.size());
            Path file = Space.defaultParent().resolve("ipckit-shm-" + name);
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            ByteBuffer w = a.buffer();
            w.put(new byte[] {1, 2, 3});
            SharedMemory b = SharedMemory.attach(name);
            byte[] read = new byte[3];
            b.buffer().get(read);
            assertArrayEquals(new byte[] {1, 2, 3}, read, "a write through one handle is seen through another");
            assertEquals(0, b.buffer().get(99), "zeroed");

            IllegalStateException dup = assertThrows(IllegalStateException.class, () -> SharedMemory.create(name, 8));
            assertTrue(dup.getMessage().contains("SharedMemory.attach"), dup.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("../etc", 8));
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(name("zero"), 0));
            assertThrows(IndexOutOfBoundsException.class, () -> a.asLongArray().get(100 / 8));
            b.close();
            assertThrows(ChannelClosedException.class, b::buffer);
            assertEquals(1, a.buffer().get(0), "closing one handle leaves the others");
        } finally {
            a.unlink();
        }
        assertThrows(IllegalStateException.class, () -> SharedMemory.attach(name), "unlinked: no more attaching");
        assertThrows(IllegalStateException.class, a::unlink, "once");
    }

    @Test
    @Timeout(90)
    void typedArrays_atomicAddsFromThisJvmAndAChildJvm_loseNothing() throws Exception {
        SharedLongArray longs = SharedLongArray.create(name("longs"), 16);
        SharedDoubleArray doubles = SharedDoubleArray.create(name("doubles"), 16);
        try (Children children = new Children(work)) {
            assertEquals(16, longs.length());
            longs.set(3, 41);
            assertEquals(42, longs.incrementAndGet(3));
            assertTrue(longs.compareAndSet(3, 42, 0));
            assertFalse(longs.compareAndSet(3, 42, 1));
            assertEquals(0.0, doubles.getAndSet(0, 0.0));
            int n = 20_000;
            Process child = children.start(SharedObjectsChildMain.class, HandleChildMain.encode(longs), "array-add",
                    HandleChildMain.encode(doubles), Integer.toString(n));
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < 16; i++) {
                    longs.incrementAndGet(i);
                    doubles.addAndGet(i, 0.5);
                }
            }
            assertEquals(0, children.await(child, 60), children.logOf(child));
            for (int i = 0; i < 16; i++) {
                assertEquals(2L * n, longs.get(i), "element " + i);
                assertEquals(n * 1.0, doubles.get(i), "element " + i);
            }
            SharedIntArray ints = longs.memory().asIntArray();
            assertEquals(32, ints.length(), "the same bytes as ints");
        } finally {
            longs.memory().unlink();
            doubles.memory().unlink();
        }
    }
}
