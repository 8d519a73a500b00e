package io.ipckit.core;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.HandleChildMain;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.SharedObjectsChildMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python's {@code Pipe()}: two ends, in one process and across real JVMs; a closed or dead end is an EOF. */
class PipeTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    void duplex_bothWays_bytesAndObjects_thenEofAfterTheOtherEndCloses_andTheFilesGo() throws Exception {
        Pipe pipe = Pipe.open();
        Connection a = pipe.first();
        Connection b = pipe.second();
        assertTrue(a.readable() && a.writable() && b.readable() && b.writable());
        assertFalse(b.poll(), "nothing sent yet");
        assertFalse(b.poll(Duration.ofMillis(50)));

        a.send("x");
        a.sendBytes(new byte[] {9, 8, 7, 6}, 1, 2);
        b.send(42);
        assertTrue(b.poll(Duration.ofSeconds(5)));
        assertEquals("x", b.<String>recv());
        assertArrayEquals(new byte[] {8, 7}, b.recvBytes());
        assertEquals(42, a.<Integer>recv());

        a.send(java.util.List.of(1, 2));
        IllegalStateException notBytes = assertThrows(IllegalStateException.class, b::recvBytes);
        assertTrue(notBytes.getMessage().contains("recv()"), notBytes.getMessage());
        assertEquals(java.util.List.of(1, 2), b.recv(), "the object is kept for recv()");

        a.send("last");
        a.close();
        assertTrue(b.poll(), "a message waits");
        assertEquals("last", b.recv(), "what was sent before the close still arrives");
        assertTrue(b.poll(), "EOF is readable, as Python's poll says");
        PipeClosedException eof = assertThrows(PipeClosedException.class, b::recv);
        assertTrue(eof.getMessage().contains("EOF"), eof.getMessage());
        PipeClosedException broken = assertThrows(PipeClosedException.class, () -> b.send("anyone?"));
        assertTrue(broken.getMessage().contains("broken pipe"), broken.getMessage());
        assertThrows(ChannelClosedException.class, () -> a.send("closed"));

        b.close();
        assertFalse(Files.exists(pipe.directory()), "both ends closed: the pipe's files are removed");
        pipe.close(); // idempotent
    }

    @Test
    void oneWay_firstReceivesSecondSends_theWrongWayIsRefusedNamingTheFix() throws Exception {
        try (Pipe pipe = Pipe.open(false)) {
            Connection r = pipe.first();
            Connection w = pipe.second();
            assertTrue(r.readable() && !r.writable() && w.writable() && !w.readable());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.send("no"));
            assertTrue(e.getMessage().contains("Pipe.open()"), e.getMessage());
            assertThrows(IllegalStateException.class, w::recv);
            w.send("yes");
            assertEquals("yes", r.recv());
        }
    }

    @Test
    @Timeout(90)
    void endSentToAChildJvm_parentClosesItsUnusedCopy_childSends_thenChildKilled_parentGetsTheMessageThenEof()
            throws Exception {
        try (Pipe pipe = Pipe.open(); Children children = new Children(work)) {
            Connection parent = pipe.first();
            String childEnd = HandleChildMain.encode(pipe.second());
            Process child = children.start(SharedObjectsChildMain.class, childEnd, "pipe-send", "hello", "wait");
            pipe.second().close(); // never used here: the child's end stays open (Python's idiom)
            assertEquals("hello", parent.recv());
            assertFalse(parent.poll(Duration.ofMillis(300)), "the child lives and holds its end");
            child.destroyForcibly().waitFor();
            long t0 = System.nanoTime();
            assertThrows(PipeClosedException.class, parent::recv, "the child died: EOF, not a hang");
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 5);
            parent.close();
        }
    }

    @Test
    @Timeout(90)
    void childClosesItsEndAndExits_parentReadsThenEof_andAParentSendFailsAsBrokenPipe() throws Exception {
        try (Pipe pipe = Pipe.open(); Children children = new Children(work)) {
            Connection parent = pipe.first();
            Process child = children.start(SharedObjectsChildMain.class, HandleChildMain.encode(pipe.second()),
                    "pipe-send", "bye", "close");
            assertEquals(0, children.await(child, 60), children.logOf(child));
            assertEquals("bye", parent.recv());
            assertThrows(PipeClosedException.class, parent::recv);
            assertThrows(PipeClosedException.class, () -> parent.send("late"));
        }
    }
}
