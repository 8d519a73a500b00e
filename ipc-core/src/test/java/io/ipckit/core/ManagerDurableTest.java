package io.ipckit.core;

import io.ipckit.core.internal.SpaceLayout;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A manager on a durable space ({@code Manager.builder().directory(dir)}): killed with {@code kill -9}, its
 * clients fail fast, and a manager started again on the directory delivers the queued messages.
 */
class ManagerDurableTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    @Timeout(120)
    void managerKilled_clientsFailFast_newManagerOnTheDirectoryDeliversEveryQueuedMessageInOrder() throws Exception {
        killAndRestart(5_000);
    }

    @Test
    @Tag("stress")
    @Timeout(3600)
    void managerKilled_stressRun_newManagerOnTheDirectoryDeliversEveryQueuedMessageInOrder() throws Exception {
        killAndRestart(Integer.getInteger("ipckit.stress.managerMessages", 1_000_000));
    }

    private void killAndRestart(int n) throws Exception {
        Path dir = work.resolve("space");
        String address;
        try (Manager first = Manager.builder().directory(dir).start()) {
            address = first.address();
            SharedQueue<Integer> queue = first.queue("jobs");
            SharedMap<String, Integer> map = first.map("counts");
            map.put("a", 1);
            for (int i = 0; i < n; i++) {
                queue.put(i);
            }
            ProcessHandle manager = ProcessHandle.of(first.pid()).orElseThrow();
            new ProcessBuilder("kill", "-9", Long.toString(first.pid())).start().waitFor();
            manager.onExit().get(10, TimeUnit.SECONDS);

            long t0 = System.nanoTime();
            ManagerGoneException onMap = assertThrows(ManagerGoneException.class, () -> map.get("a"));
            assertTrue(onMap.getMessage().contains(dir.toString()), onMap.getMessage());
            assertThrows(ManagerGoneException.class, () -> queue.put(-1));
            assertThrows(ManagerGoneException.class, () -> queue.poll(30, TimeUnit.SECONDS));
            long failMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(failMillis < 5_000, "clients failed within " + failMillis + " ms");
            assertThrows(ManagerGoneException.class, () -> Manager.connect(address));
        }
        assertTrue(Files.isDirectory(dir), "a durable space outlives its manager and the owner's close()");

        try (Manager second = Manager.builder().directory(dir).start()) {
            assertEquals(address, second.address(), "the address (and its token) stays the same");
            SharedQueue<Integer> queue = second.queue("jobs");
            assertEquals(n, queue.size());
            for (int i = 0; i < n; i++) {
                assertEquals(i, queue.poll(10, TimeUnit.SECONDS), "message " + i);
            }
            assertNull(queue.poll());
            assertEquals(java.util.Map.of("a", 1), second.<String, Integer>map("counts").snapshot(),
                    "maps are kept by the durable space's journal");
            try (Manager client = Manager.connect(address)) {
                client.<Integer>queue("jobs").put(7);
            }
            assertEquals(7, queue.take());
        }
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    @Timeout(60)
    void embeddedOnDirectory_closedAndStartedAgain_recoversQueuesWithTheirBoundsUnderTheSameAddress() throws Exception {
        Path dir = work.resolve("space");
        String address;
        try (Manager m = Manager.builder().directory(dir).embedded()) {
            address = m.address();
            m.<String>queue("bounded", 5).put("x");
            m.<String>joinableQueue("joinable").put("y");
        }
        assertThrows(ManagerGoneException.class, () -> Manager.connect(address), "a stopped manager is not running");
        try (Manager m = Manager.builder().directory(dir).embedded()) {
            assertEquals(address, m.address(), "a manager started after a clean shutdown keeps the address too");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.queue("bounded"));
            assertTrue(e.getMessage().contains("maxsize 5"), e.getMessage());
            assertEquals("x", m.<String>queue("bounded", 5).poll());
            SharedQueue<String> joinable = m.joinableQueue("joinable");
            assertEquals("y", joinable.poll());
            joinable.taskDone();
            assertTrue(joinable.join(1, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(60)
    void directoryOfAnotherDataFormat_refusedNamingBoth_andLeftAsItWas_soItsOwnBuildStillRecoversIt() throws Exception {
        Path dir = work.resolve("space");
        try (Manager m = Manager.builder().directory(dir).embedded()) {
            m.<String>queue("jobs").put("x");
            m.<String, Integer>map("counts").put("a", 1);
        }
        Path marker = dir.resolve(SpaceLayout.MARKER);
        String ours = Files.readString(marker);
        assertTrue(ours.contains(SpaceLayout.DATA_FORMAT_LINE + SpaceLayout.DATA_FORMAT + "\n"), ours);
        String unnumbered = ours.replace(SpaceLayout.DATA_FORMAT_LINE + SpaceLayout.DATA_FORMAT + "\n", "");
        for (String other : List.of(unnumbered, ours.replace(SpaceLayout.DATA_FORMAT_LINE + SpaceLayout.DATA_FORMAT,
                SpaceLayout.DATA_FORMAT_LINE + (SpaceLayout.DATA_FORMAT + 1)))) {
            Files.writeString(marker, other);
            Map<Path, Long> before = tree(dir);
            int found = other.equals(unnumbered) ? 1 : SpaceLayout.DATA_FORMAT + 1;
            SpaceFormatException e = assertThrows(SpaceFormatException.class,
                    () -> Manager.builder().directory(dir).embedded());
            assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("data format " + found)
                    && e.getMessage().contains("reads data format " + SpaceLayout.DATA_FORMAT + " only")
                    && e.getMessage().contains("the build that wrote it")
                    && e.getMessage().contains("remove the directory"), e.getMessage());
            assertEquals(found, e.found());
            assertEquals(SpaceLayout.DATA_FORMAT, e.expected());
            assertEquals(dir, e.directory());
            assertThrows(SpaceFormatException.class, () -> Manager.builder().directory(dir).start(),
                    "refused before a manager JVM is started");
            assertEquals(before, tree(dir), "nothing in the space was changed");
            assertEquals(other, Files.readString(marker));
        }
        Files.writeString(marker, ours);
        try (Manager m = Manager.builder().directory(dir).embedded()) {
            assertEquals("x", m.<String>queue("jobs").poll(), "its own build still recovers what it held");
            assertEquals(1, m.<String, Integer>map("counts").get("a"));
        }
    }

    @Test
    @Timeout(60)
    void aManagerOfAnotherDataFormat_refusesItsClient_withTheFormatsNamed_andServesOnOnceTheyAgree() throws Exception {
        try (Manager m = Manager.builder().parent(work).embedded()) {
            m.<String>queue("jobs").put("x");
            Path marker = m.directory().resolve(SpaceLayout.MARKER);
            String ours = Files.readString(marker);
            Files.writeString(marker, ours.replace(SpaceLayout.DATA_FORMAT_LINE + SpaceLayout.DATA_FORMAT,
                    SpaceLayout.DATA_FORMAT_LINE + "7"));
            SpaceFormatException e = assertThrows(SpaceFormatException.class, () -> Manager.connect(m.address()));
            assertTrue(e.getMessage().contains("data format 7"), e.getMessage());
            Files.writeString(marker, ours);
            try (Manager client = Manager.connect(m.address())) {
                assertEquals("x", client.<String>queue("jobs").poll());
            }
        }
    }

    private static Map<Path, Long> tree(Path dir) throws IOException {
        Map<Path, Long> sizes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                sizes.put(dir.relativize(p), Files.isRegularFile(p) ? Files.size(p) : -1L);
            }
        }
        return sizes;
    }

    @Test
    @Timeout(60)
    void directoryServedByALiveManager_secondManagerRefusedNamingThePid() {
        Path dir = work.resolve("space");
        try (Manager m = Manager.builder().directory(dir).embedded()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Manager.builder().directory(dir).embedded());
            assertTrue(e.getMessage().contains("pid " + m.pid()) && e.getMessage().contains("already serves"),
                    e.getMessage());
        }
    }

    @Test
    void directoryAndParentBothSet_refusedNamingBoth() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Manager.builder().directory(work.resolve("a")).parent(work).embedded());
        assertTrue(e.getMessage().contains("directory(") && e.getMessage().contains("parent("), e.getMessage());
        assertFalse(Files.exists(work.resolve("a")), "nothing was created");
    }

    @Test
    void directoryWithOtherFiles_refused() throws Exception {
        Path dir = Files.createDirectory(work.resolve("mine"), java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Files.writeString(dir.resolve("notes.txt"), "not a space");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Manager.builder().directory(dir).embedded());
        assertTrue(e.getMessage().contains("not an ipckit space"), e.getMessage());
    }

    @Test
    @Timeout(60)
    void oneBuilderUsedTwice_buildsTwoManagersAlike_andIsLeftAsItWas() throws Exception {
        Path dir = work.resolve("space");
        Manager.Builder builder = Manager.builder().directory(dir);
        java.util.Map<String, Object> before = fieldsOf(builder);
        String address;
        try (Manager first = builder.embedded()) {
            address = first.address();
            first.<String>queue("jobs").put("x");
        }
        assertEquals(before, fieldsOf(builder), "building a fresh durable manager changed the builder");
        try (Manager second = builder.embedded()) {
            assertEquals(address, second.address(), "the same builder, the same directory: the same address");
            assertEquals("x", second.<String>queue("jobs").poll());
        }
        assertEquals(before, fieldsOf(builder), "taking a space over changed the builder");
    }

    /** The builder's state, field by field (a copy of each collection). */
    private static java.util.Map<String, Object> fieldsOf(Manager.Builder builder) throws IllegalAccessException {
        java.util.Map<String, Object> fields = new java.util.TreeMap<>();
        for (java.lang.reflect.Field f : Manager.Builder.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            f.setAccessible(true);
            Object v = f.get(builder);
            fields.put(f.getName(), v instanceof java.util.Collection ? new java.util.ArrayList<>((java.util.Collection<?>) v) : v);
        }
        return fields;
    }

    @Test
    @Timeout(150)
    void mapsListsValuesEventsNamespaces_surviveKill9AndRestarts_locksStartAfresh() throws Exception {
        Path dir = work.resolve("objects");
        try (Manager first = Manager.builder().directory(dir).start()) {
            SharedMap<String, Integer> map = first.map("m");
            for (int i = 0; i < 100; i++) {
                map.put("k" + i, i);
            }
            map.remove("k0");
            map.merge("k1", 10, Integer::sum);
            SharedList<String> list = first.list("l");
            list.addAll(java.util.List.of("a", "b", "c"));
            list.remove("b");
            list.set(0, "A");
            first.value("v", "initial").updateAndGet(s -> s + "+updated");
            first.event("e").set();
            first.event("e2");
            first.namespace("ns").set("x", 42);
            first.lock("held").lock();
            long pid = first.pid();
            new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
        }
        for (int restart = 0; restart < 2; restart++) { // the second restart reads the journal the first compacted
            try (Manager again = Manager.builder().directory(dir).start()) {
                SharedMap<String, Integer> map = again.map("m");
                assertEquals(99, map.size(), "restart " + restart);
                assertNull(map.get("k0"));
                assertEquals(11, map.get("k1"));
                assertEquals(java.util.List.of("A", "c"), again.<String>list("l").snapshot());
                assertEquals("initial+updated", again.value("v", "other").get(), "the value, not the new initial");
                assertTrue(again.event("e").isSet());
                assertFalse(again.event("e2").isSet());
                assertEquals(42, (int) again.namespace("ns").get("x"));
                assertTrue(again.lock("held").tryLock(), "a lock's holder died with the old manager: it starts free");
                again.lock("held").unlock();
                if (restart == 0) {
                    again.map("m").put("after-restart", 1);
                    again.map("m").remove("after-restart");
                }
                again.detach(); // leave it running, then kill it: the journal is all a crash keeps
                long pid = again.pid();
                new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
                ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
            }
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir.resolve("channels"))) {
            assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith("manager-journal-")).count(),
                    "each takeover compacts the journal into one generation");
        }
        io.ipckit.core.internal.Files2.deleteRecursively(dir);
    }
}
