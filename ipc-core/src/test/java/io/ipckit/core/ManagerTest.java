package io.ipckit.core;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.HandleChildMain;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manager's lifecycle, access control and its maps and lists, in real JVMs where it matters. */
class ManagerTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    void embedded_mapOperationsAreServedByTheManager() {
        try (Manager m = Manager.embedded()) {
            SharedMap<String, Integer> map = m.map("counts");
            assertNull(map.put("a", 1));
            assertEquals(1, map.put("a", 2));
            assertNull(map.putIfAbsent("b", 3));
            assertEquals(3, map.putIfAbsent("b", 4));
            assertEquals(Map.of("a", 2, "b", 3), map.snapshot());
            assertTrue(map.replace("a", 2, 20));
            assertFalse(map.replace("a", 2, 30));
            assertEquals(21, map.merge("a", 1, Integer::sum));
            assertEquals(2, map.size());
            assertTrue(map.containsKey("b"));
            assertTrue(map.remove("b", 3));
            assertEquals(Map.of("a", 21), map);
            assertEquals(21, m.<String, Integer>map("counts").get("a"), "same name, same map");
            map.clear();
            assertTrue(map.isEmpty());
        }
    }

    @Test
    void embedded_listOperationsAreServedByTheManager() {
        try (Manager m = Manager.embedded()) {
            SharedList<String> list = m.list("letters");
            list.add("a");
            list.addAll(List.of("b", "c"));
            list.add(0, "z");
            assertEquals(List.of("z", "a", "b", "c"), list);
            assertEquals("z", list.remove(0));
            assertEquals("b", list.set(1, "B"));
            assertEquals(List.of("a", "B", "c"), new ArrayList<>(list));
            assertEquals(2, list.indexOf("c"));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> list.get(7));
            assertTrue(e.getMessage().contains("letters"), e.getMessage());
            assertEquals(3, list.size(), "the list is usable after a failed call");
        }
    }

    @Test
    void object_nameOfAnotherType_isRefusedNamingBoth() {
        try (Manager m = Manager.embedded()) {
            m.map("thing");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.list("thing"));
            assertTrue(e.getMessage().contains("map") && e.getMessage().contains("list"), e.getMessage());
        }
    }

    @Test
    void object_invalidName_isRefused() {
        try (Manager m = Manager.embedded()) {
            for (String bad : List.of("", "..", "a/b", "../etc", "x".repeat(101))) {
                assertThrows(IllegalArgumentException.class, () -> m.map(bad), bad);
            }
        }
    }

    @Test
    void close_removesTheSpace() {
        Path dir;
        try (Manager m = Manager.embedded()) {
            dir = m.directory();
            m.map("x").put("k", "v");
            assertTrue(Files.isDirectory(dir));
        }
        assertFalse(Files.exists(dir));
    }

    @Test
    @Timeout(60)
    void start_runsTheManagerInItsOwnJvm_andHandlesWorkInOtherJvms() throws Exception {
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            assertNotEquals(ProcessHandle.current().pid(), m.pid());
            SharedMap<String, Long> map = m.map("pids");
            map.put("count", 0L);
            List<Process> ps = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ps.add(children.start(HandleChildMain.class, HandleChildMain.encode(map), "map-add-pid"));
            }
            for (Process p : ps) {
                assertEquals(0, children.await(p, 60), children.logOf(p));
                assertEquals(p.pid(), map.get("pid-" + p.pid()));
            }
            assertEquals(200L, map.get("count"), "merge is atomic across processes");
        }
    }

    @Test
    @Timeout(60)
    void connect_withTheAddress_seesTheSameObjects() {
        try (Manager m = Manager.start()) {
            m.map("config").put("mode", "fast");
            int replyChannels = replyChannels(m);
            try (Manager other = Manager.connect(m.address())) {
                assertEquals("fast", other.map("config").get("mode"));
                assertEquals(m.pid(), other.pid());
                assertEquals(replyChannels + 1, replyChannels(m));
            }
            assertEquals(replyChannels, replyChannels(m), "a client that left leaves no reply channel");
            assertEquals("fast", m.map("config").get("mode"), "disconnecting does not stop the manager");
        }
    }

    private static int replyChannels(Manager m) {
        try (java.util.stream.Stream<Path> dirs = Files.list(m.directory().resolve("channels"))) {
            return (int) dirs.filter(p -> p.getFileName().toString().startsWith("mgr.reply.")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void connect_wrongToken_isRefused() {
        try (Manager m = Manager.embedded()) {
            String address = m.address();
            String wrong = address.substring(0, address.lastIndexOf('#') + 1) + "0".repeat(32);
            SecurityException e = assertThrows(SecurityException.class, () -> Manager.connect(wrong));
            assertTrue(e.getMessage().contains("token"), e.getMessage());
            assertTrue(e.getMessage().contains(m.directory().toString()), "names the space: " + e.getMessage());
            assertTrue(e.getMessage().contains("address()"), "names the fix: " + e.getMessage());
            assertEquals(0, m.map("still-works").size());
            try (Manager right = Manager.connect(address)) {
                right.map("still-works").put("k", "v");
            }
            assertEquals("v", m.map("still-works").get("k"));
        }
    }

    @Test
    void connect_foreignOrMissingSpace_isRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Manager.connect("not-an-address"));
        assertThrows(IllegalArgumentException.class, () -> Manager.connect("ipckit:" + work.resolve("none") + "#abc"));
        Path foreign = Files.createDirectory(work.resolve("foreign"));
        assertThrows(IllegalArgumentException.class, () -> Manager.connect("ipckit:" + foreign + "#abc"));
    }

    @Test
    @Timeout(60)
    void managerKilled_callsFailFastWithManagerGoneException() throws Exception {
        Manager m = Manager.start();
        try {
            SharedMap<String, String> map = m.map("m");
            map.put("a", "b");
            new ProcessBuilder("kill", "-9", Long.toString(m.pid())).start().waitFor();
            ProcessHandle.of(m.pid()).ifPresent(p -> p.onExit().join());
            long t0 = System.nanoTime();
            ManagerGoneException e = assertThrows(ManagerGoneException.class, () -> map.get("a"));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 2_000, "failed after " + millis + " ms");
            assertTrue(e.getMessage().contains(m.directory().toString()), e.getMessage());
        } finally {
            m.close();
        }
        assertFalse(Files.exists(m.directory()), "close removes the space of a killed manager too");
    }
}
