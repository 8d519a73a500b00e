package io.ipckit.samples.cli;

import io.ipckit.core.Channel;
import io.ipckit.core.Space;
import io.ipckit.core.internal.SpaceLayout;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code ipckit} command line against real spaces in a temporary parent directory. */
class IpckitCliTest extends LeakCheckingTest {
    @TempDir
    Path parent;

    private String out;
    private String err;

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = IpckitCli.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private Space spaceWithLetters() throws Exception {
        Space space = Space.builder().parent(parent).create();
        Channel<String> letters = space.channel("letters");
        for (String s : List.of("p", "y", "t")) {
            letters.put(s);
        }
        return space;
    }

    @Test
    void spaces_liveSpace_listedWithItsCreatorAlive() throws Exception {
        try (Space space = spaceWithLetters()) {
            assertEquals(0, run("spaces", "--dir", parent.toString()), err);
            String line = out.lines().filter(l -> l.startsWith(space.directory().toString())).findFirst().orElse("");
            assertTrue(line.contains(ProcessHandle.current().pid() + " (alive)"), out);
            assertTrue(line.trim().endsWith(" 1"), "one channel: " + out);
        }
    }

    @Test
    void inspect_channelWithThreeMessages_showsDepthThree() throws Exception {
        try (Space space = spaceWithLetters()) {
            space.<String>channel("letters").take();
            assertEquals(0, run("inspect", space.directory().toString()), err);
            String line = out.lines().filter(l -> l.startsWith("letters ")).findFirst().orElse("");
            assertTrue(line.matches("letters\\s+channel\\s+2\\s+unbounded\\s+3\\s+1\\s+.*"), out);
        }
    }

    @Test
    void tail_waitingMessages_printedAndNotConsumed() throws Exception {
        try (Space space = spaceWithLetters()) {
            Channel<String> letters = space.channel("letters");
            assertEquals("p", letters.take());
            assertEquals(0, run("tail", space.directory() + "/letters"), err);
            assertEquals(List.of("y", "t"), out.lines().toList());
            assertEquals(2, letters.size());
            assertEquals(0, run("tail", "--all", space.directory() + "/letters"), err);
            assertEquals(List.of("p   (taken by pid " + ProcessHandle.current().pid() + ")", "y", "t"), out.lines().toList());
            assertEquals("y", letters.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void clean_deadCreator_removedAndLiveKept() throws Exception {
        java.lang.Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        Path dead = Files.createDirectory(parent.resolve("ipckit-dead"));
        Files.writeString(dead.resolve(SpaceLayout.MARKER), SpaceLayout.MARKER_CONTENT + "\ncreator-pid " + gone.pid() + "\n");
        Files.createDirectories(dead.resolve("channels/x"));
        try (Space live = spaceWithLetters()) {
            assertEquals(0, run("clean", "--dir", parent.toString()), err);
            assertFalse(Files.exists(dead), out);
            assertTrue(Files.isDirectory(live.directory()), out);
            assertEquals(3, live.<String>channel("letters").size());
            assertTrue(out.contains("removed " + dead), out);
        }
    }

    @Test
    void inspectAndTail_managerQueue_shownAsQueueWithItsManager() throws Exception {
        try (io.ipckit.core.Manager m = io.ipckit.core.Manager.embedded()) {
            io.ipckit.core.SharedQueue<Integer> q = m.queue("numbers");
            q.put(7);
            q.put(8);
            assertEquals(0, run("inspect", m.directory().toString()), err);
            assertTrue(out.contains("manager  " + ProcessHandle.current().pid() + " (alive)"), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("numbers\\s+queue\\s+2\\s+.*")), out);
            assertEquals(0, run("tail", m.directory() + "/numbers"), err);
            assertEquals(List.of("7", "8"), out.lines().toList());
            assertEquals(2, q.qsize());
        }
    }

    @Test
    void badArguments_usageAndExitTwo() {
        assertEquals(2, run("bogus"));
        assertTrue(err.contains("Usage: ipckit"), err);
        assertEquals(2, run());
        assertEquals(2, run("inspect"));
        assertTrue(err.contains("SPACE"), err);
        assertEquals(2, run("tail", "no-slash"));
        assertTrue(err.contains("SPACE/NAME"), err);
        assertEquals(2, run("spaces", "--nope"));
    }

    @Test
    void inspectAndTail_spaceGone_oneLineAndExitOne() throws Exception {
        Path dir;
        try (Space space = spaceWithLetters()) {
            dir = space.directory();
        }
        assertEquals(1, run("inspect", dir.toString()));
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("ipckit: no space at " + dir), err);
        assertEquals(1, run("tail", dir + "/letters"));
        assertEquals(1, err.lines().count(), err);
    }
}
