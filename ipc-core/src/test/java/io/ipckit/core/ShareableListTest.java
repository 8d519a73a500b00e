package io.ipckit.core;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.HandleChildMain;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python's {@code shared_memory.ShareableList}: fixed slots in a shared block, items read and written whole. */
class ShareableListTest extends LeakCheckingTest {
    @TempDir
    Path work;

    private static String name(String what) {
        return "sl-test-" + what + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    @Test
    @Timeout(30)
    void itemsOfEveryType_readAndReplaced_roomFixed_asPython() {
        ShareableList sl = ShareableList.create(name("types"), Arrays.asList(7, 2.5f, true, "hi", new byte[]{1, 2, 3}, null));
        try {
            assertEquals(6, sl.size());
            assertEquals(7L, sl.get(0), "integers are longs, as Python's one int");
            assertEquals(2.5, sl.get(1));
            assertEquals(true, sl.get(2));
            assertEquals("hi", sl.get(3));
            assertArrayEquals(new byte[]{1, 2, 3}, (byte[]) sl.get(4));
            assertNull(sl.get(5));
            assertEquals("qd?8s8bx", sl.format());

            assertEquals(7L, sl.set(0, 8L));
            assertEquals("hi", sl.set(3, "fits 8!!"));
            assertEquals("fits 8!!", sl.get(3));
            IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> sl.set(3, "nine bytes"));
            assertTrue(big.getMessage().contains("room for 8 bytes") && big.getMessage().contains("needs 10"), big.getMessage());
            assertEquals("fits 8!!", sl.get(3), "nothing written");
            sl.set(5, 3.0); // a slot may change type
            assertEquals(3.0, sl.get(5));
            assertThrows(IllegalArgumentException.class, () -> sl.set(0, new Object()));
            assertThrows(IndexOutOfBoundsException.class, () -> sl.get(6));
            assertThrows(UnsupportedOperationException.class, () -> sl.add(1));
            assertEquals(1, sl.count(8));
            assertEquals(3, sl.indexOf("fits 8!!"));
            assertTrue(sl.toString().startsWith("ShareableList[8, 2.5, true, fits 8!!, [1, 2, 3], 3.0]"), sl.toString());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> ShareableList.create(name("bad"), List.of(1, new java.util.Date())));
            assertTrue(bad.getMessage().contains("item 1") && bad.getMessage().contains("java.util.Date"), bad.getMessage());
        } finally {
            sl.memory().unlink();
        }
    }

    @Test
    @Timeout(90)
    void attachedByName_andPassedToAnotherJvm_bothSeeEachOthersWrites() throws Exception {
        String name = name("jvm");
        ShareableList sl = ShareableList.create(name, List.of("hello", "................", 21));
        try (Children children = new Children(work)) {
            ShareableList attached = ShareableList.attach(name);
            assertEquals(List.of("hello", "................", 21L), attached);
            Process p = children.start(HandleChildMain.class, HandleChildMain.encode(sl), "shareable-list");
            assertEquals(0, children.await(p, 60), children.logOf(p));
            assertTrue(children.logOf(p).contains("saw hello"), children.logOf(p));
            assertEquals("pid " + p.pid(), sl.get(1));
            assertEquals(42L, attached.get(2));
            attached.close();
            IllegalArgumentException notAList = assertThrows(IllegalArgumentException.class, () -> {
                try (SharedMemory plain = SharedMemory.create(name + "-plain", 64)) {
                    try {
                        ShareableList.attach(plain.name());
                    } finally {
                        plain.unlink();
                    }
                }
            });
            assertTrue(notAList.getMessage().contains("no shareable list"), notAList.getMessage());
        } finally {
            sl.memory().unlink();
        }
    }

    @Test
    @Timeout(90)
    void aSlotLeftMidWriteByADeadProcess_isTakenOverByTheNextReaderAndWriter() throws Exception {
        ShareableList sl = ShareableList.create(name("dead"), List.of("before", 1));
        try (Children children = new Children(work)) {
            Process dead = children.start(HandleChildMain.class, "", "none");
            children.await(dead, 60); // exits (bad arguments): its pid is no longer alive
            ByteBuffer b = sl.memory().buffer().order(ByteOrder.nativeOrder());
            // what a writer killed inside set(0, ...) leaves: slot 0's sequence odd, its pid as the writer
            b.putLong(16, b.getLong(16) + 1);
            b.putInt(16 + 20, (int) dead.pid());
            long t0 = System.nanoTime();
            assertEquals("before", sl.get(0), "the reader took the slot over");
            assertEquals("before", sl.set(0, "after"));
            assertEquals("after", sl.get(0));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 5_000);
        } finally {
            sl.memory().unlink();
        }
    }

    @Test
    @Timeout(60)
    void concurrentWritersAndAReader_neverSeeHalfAnItem() throws Exception {
        ShareableList sl = ShareableList.create(name("tear"), List.of("aaaaaaaaaaaaaaaa"));
        try {
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread[] writers = new Thread[2];
            for (int w = 0; w < 2; w++) {
                String mine = w == 0 ? "bbbbbbbbbbbbbbbb" : "cc";
                writers[w] = new Thread(() -> {
                    while (!stop.get()) {
                        sl.set(0, mine);
                        sl.set(0, "aaaaaaaaaaaaaaaa");
                    }
                });
                writers[w].start();
            }
            java.util.Set<Object> seen = new java.util.HashSet<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < end) {
                seen.add(sl.get(0));
            }
            stop.set(true);
            for (Thread w : writers) {
                w.join(10_000);
            }
            assertTrue(java.util.Set.of("aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cc").containsAll(seen), seen.toString());
        } finally {
            sl.memory().unlink();
        }
    }
}
