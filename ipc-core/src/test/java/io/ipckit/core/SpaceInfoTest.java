package io.ipckit.core;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public inspection API: {@link SpaceInfo}, {@link ChannelInfo}, {@link ChannelPeek}. */
class SpaceInfoTest extends LeakCheckingTest {
    @TempDir
    Path parent;

    @Test
    void of_notASpace_clearErrorNamingTheDirectory() throws Exception {
        Path plain = Files.createDirectory(parent.resolve("plain"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpaceInfo.of(plain));
        assertTrue(e.getMessage().contains(plain.toString()) && e.getMessage().contains("SpaceInfo.list"), e.getMessage());
        assertEquals(List.of(), SpaceInfo.list(List.of(parent)));
        assertEquals(List.of(), SpaceInfo.list(List.of(parent.resolve("missing"))), "a missing parent has none");
    }

    @Test
    void liveSpace_creatorAliveNoManagerChannelCountersAndPeek() throws Exception {
        try (Space space = Space.builder().parent(parent).create()) {
            Channel<String> letters = space.channel("letters");
            letters.put("a");
            letters.put("b");
            letters.put("c");
            assertEquals("a", letters.take());
            SpaceInfo info = SpaceInfo.of(space.directory());
            assertEquals(List.of(info), SpaceInfo.list(List.of(parent)));
            assertEquals(ProcessHandle.current().pid(), info.creatorPid());
            assertTrue(info.creatorAlive());
            assertFalse(info.hasManager());
            assertEquals(-1, info.managerPid());
            assertFalse(info.abandoned());
            assertFalse(info.removeIfAbandoned(), "a live space stays");
            assertTrue(Files.isDirectory(space.directory()));
            assertEquals(List.of(), info.managerObjects(Duration.ofSeconds(1)), "no manager, no objects");
            ChannelInfo c = info.channel("letters").orElseThrow();
            assertEquals(List.of(c), info.channels());
            assertEquals("letters", c.name());
            assertFalse(c.isManagerQueue());
            assertEquals(2, c.depth());
            assertEquals(0, c.capacity());
            assertEquals(3, c.appended());
            assertEquals(1, c.taken());
            assertTrue(c.diskBytes() > 0 && info.diskBytes() >= c.diskBytes(), c + " " + info.diskBytes());
            long fileLengths;
            try (java.util.stream.Stream<Path> files = Files.walk(space.directory())) {
                fileLengths = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
            assertTrue(info.diskBytes() < 1 << 20 && fileLengths > 16 * info.diskBytes(), "the written part of"
                    + " Chronicle's sparse files, not their lengths: " + info.diskBytes() + " of " + fileLengths);
            assertTrue(info.channel("nope").isEmpty());
            try (ChannelPeek peek = c.peek(Codec.defaults())) {
                List<ChannelPeek.Message> all = peek.next(10);
                assertEquals(List.of("a", "b", "c"), all.stream().map(ChannelPeek.Message::value).collect(Collectors.toList()));
                assertEquals(ProcessHandle.current().pid(), all.get(0).takerPid());
                assertFalse(all.get(1).isTaken());
                assertEquals(List.of(), peek.next(10), "nothing new");
                letters.put("d");
                assertEquals("d", peek.next(10).get(0).value(), "a reader goes on where it stopped");
                assertThrows(IllegalArgumentException.class, () -> peek.next(0));
            }
            assertEquals(3, letters.size(), "peeking took nothing");
        }
    }

    @Test
    void embeddedManager_queueShownByNameAndObjectsListed() throws Exception {
        try (Manager m = Manager.builder().parent(parent).embedded()) {
            m.<Integer>queue("numbers").put(7);
            m.map("counts");
            SpaceInfo info = SpaceInfo.of(m.directory());
            assertTrue(info.hasManager());
            assertEquals(ProcessHandle.current().pid(), info.managerPid());
            assertTrue(info.managerAlive());
            ChannelInfo q = info.channel("numbers").orElseThrow();
            assertTrue(q.isManagerQueue());
            assertEquals("numbers", q.name());
            assertEquals(1, q.depth());
            List<SharedObjectInfo> objects = info.managerObjects(Duration.ofSeconds(10));
            assertTrue(objects.stream().anyMatch(o -> o.name().equals("counts") && o.type().equals("map")), objects.toString());
        }
    }

    @Test
    void abandonedSpace_removedOnce() throws Exception {
        java.lang.Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = Files.createDirectory(parent.resolve("ipckit-dead"));
        Files.writeString(dead.resolve("ipckit-space"), "ipckit-space 1\ncreator-pid " + gone.pid() + "\n");
        SpaceInfo info = SpaceInfo.of(dead);
        assertEquals(gone.pid(), info.creatorPid());
        assertTrue(info.abandoned(), info.toString());
        assertTrue(info.removeIfAbandoned());
        assertFalse(Files.exists(dead));
        assertThrows(IllegalArgumentException.class, () -> SpaceInfo.of(dead));
    }
}
