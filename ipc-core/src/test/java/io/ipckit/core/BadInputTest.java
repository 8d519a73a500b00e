package io.ipckit.core;

import io.ipckit.core.internal.channel.ChannelFiles;
import io.ipckit.core.test.BadInputChildMain;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.RuntimeClasses;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input on every ipc-core surface (channel, manager queue, manager map and other proxies, space,
 * manager connection): each gets a specific exception whose message names the object and the fix, and
 * the object goes on working. Cases already asserted in full elsewhere are listed in the README's
 * "Bad input" section with their tests; the pool's are in the pool module's PoolBadInputTest.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BadInputTest extends LeakCheckingTest {
    /** Names every object kind must refuse: separators, traversal, control characters, empty, too long. */
    static final List<String> BAD_NAMES = List.of("", ".", "..", "a/b", "../etc", "a\\b", "x\u0000y", "bell\u0007",
            "new\nline", "x".repeat(10_000));

    @TempDir
    Path work;

    // ---- values that cannot be encoded ----------------------------------------------------------

    @Test
    void put_unencodableValue_failsNamingClassAndFix_onChannelQueueAndMap() throws Exception {
        try (Manager m = Manager.embedded(); Space space = Space.create()) {
            Channel<Object> ch = space.channel("unencodable");
            SharedQueue<Object> q = m.queue("unencodable-q");
            SharedMap<String, Object> map = m.map("unencodable-map");
            Thread value = new Thread(() -> { });
            for (ThrowingRunnable put : List.<ThrowingRunnable>of(() -> ch.put(value), () -> q.put(value),
                    () -> map.put("k", value))) {
                SerializationException e = assertThrows(SerializationException.class, put::run);
                assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
            }
            ch.put("ok");
            q.put("ok");
            map.put("k", "ok");
            assertEquals("ok", ch.poll());
            assertEquals("ok", q.poll());
            assertEquals("ok", map.get("k"));
        }
    }

    // ---- over the size limit ----------------------------------------------------------------------

    @Test
    void put_overSizeLimit_throwsMessageTooLargeNamingChannelAndFix_andChannelGoesOn() throws Exception {
        try (Space space = Space.builder().codec(Codec.builder().maxMessageBytes(1024).build()).create()) {
            Channel<byte[]> unbounded = space.channel("small");
            Channel<byte[]> bounded = space.<byte[]>channelBuilder("small-bounded").capacity(1).open();
            for (Channel<byte[]> ch : List.of(unbounded, bounded)) {
                MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> ch.put(new byte[2048]));
                assertTrue(e.getMessage().contains("'" + ch.name() + "'"), e.getMessage());
                assertTrue(e.getMessage().contains("maxMessageBytes"), e.getMessage());
                assertTrue(ch.offer(new byte[10]), "a bounded channel released its reservation");
                assertEquals(10, ch.poll().length);
                assertNull(ch.poll(), "nothing of the refused message was appended");
            }
        }
    }

    @Test
    void put_overSizeLimit_onManagerQueueAndMap_throwsMessageTooLargeAndBothGoOn() throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<byte[]> q = m.queue("huge-q");
            SharedMap<String, byte[]> map = m.map("huge-map");
            byte[] huge = new byte[Codec.DEFAULT_MAX_MESSAGE_BYTES + 1];
            MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> q.put(huge));
            assertTrue(e.getMessage().contains("huge-q") && e.getMessage().contains("maxMessageBytes"), e.getMessage());
            e = assertThrows(MessageTooLargeException.class, () -> map.put("k", huge));
            assertTrue(e.getMessage().contains("maxMessageBytes"), e.getMessage());
            assertFalse(e.getMessage().contains("channel '"), "names the call, not the manager's request channel: "
                    + e.getMessage());
            q.put(new byte[1]);
            assertEquals(1, q.poll().length);
            map.put("k", new byte[1]);
            assertEquals(1, map.get("k").length);
        }
    }

    // ---- a class the reading JVM does not have -----------------------------------------------------

    @Test
    void take_classMissingInConsumerJvm_failsNamingClassAndFix_keepsItAsDeadLetter_nextIsDelivered() throws Exception {
        Path classes = RuntimeClasses.compileSecret(work);
        try (URLClassLoader loader = RuntimeClasses.loader(classes);
             Space space = Space.create(); Children children = new Children(work)) {
            Channel<Object> ch = space.channel("secrets");
            ch.put("before");
            ch.put(RuntimeClasses.newSecret(loader, "hidden"));
            ch.put("after");
            Process consumer = children.start(BadInputChildMain.class, "take", space.directory().toString(), "secrets", "3");
            assertEquals(0, children.await(consumer, 50), children.logOf(consumer));
            List<String> lines = events(children.logOf(consumer));
            assertEquals(3, lines.size(), lines.toString());
            assertEquals("TOOK before", lines.get(0));
            String failure = lines.get(1);
            assertTrue(failure.startsWith("FAILED SerializationException: channel 'secrets'"), failure);
            assertTrue(failure.contains("unknown class " + RuntimeClasses.SECRET) && failure.contains("classpath"), failure);
            assertTrue(failure.contains("dead-letter"), failure);
            assertEquals("TOOK after", lines.get(2));

            List<DeadLetter> dead = ch.deadLetters();
            assertEquals(1, dead.size(), dead.toString());
            assertEquals("secrets", dead.get(0).channel());
            Object recovered = dead.get(0).decode(Codec.builder().classLoader(loader).build());
            assertEquals(RuntimeClasses.SECRET, recovered.getClass().getName());
            assertEquals("Secret(hidden)", recovered.toString());
            assertTrue(ch.isEmpty());
        }
    }

    @Test
    void mapPut_classMissingInManagerJvm_failsNamingClass_andTheMapGoesOn() throws Exception {
        Path classes = RuntimeClasses.compileSecret(work);
        try (URLClassLoader loader = RuntimeClasses.loader(classes); Manager m = Manager.start()) {
            SharedMap<String, Object> map = m.map("secrets");
            SerializationException e = assertThrows(SerializationException.class,
                    () -> map.put("k", RuntimeClasses.newSecret(loader, "hidden")));
            assertTrue(e.getMessage().contains(RuntimeClasses.SECRET), e.getMessage());
            assertTrue(e.getMessage().contains("classpath"), e.getMessage());
            map.put("k", "v");
            assertEquals("v", map.get("k"));
        }
    }

    // ---- excerpt bytes corrupted on disk ------------------------------------------------------------

    @Test
    void take_payloadCorruptedOnDisk_movesItToDeadLetters_andChannelGoesOn() throws Exception {
        try (Space space = Space.create()) {
            Channel<String> ch = space.channel("corrupt");
            Excerpt second = putAll(ch, "first", "second", "third").get(1);
            byte[] garbage = new byte[8];
            Arrays.fill(garbage, (byte) 0xFF);
            overwrite(second.file, second.payloadAt, garbage);

            assertEquals("first", ch.take());
            SerializationException e = assertThrows(SerializationException.class, ch::take);
            assertTrue(e.getMessage().contains("channel 'corrupt'"), e.getMessage());
            assertTrue(e.getMessage().contains("dead-letter"), e.getMessage());
            assertEquals("third", ch.take());
            ch.put("fourth");
            assertEquals("fourth", ch.take());
            List<DeadLetter> dead = ch.deadLetters();
            assertEquals(1, dead.size());
            assertEquals(second.index, dead.get(0).index());
            assertEquals((byte) 0xFF, dead.get(0).payload()[0], "kept byte for byte, as found");
        }
    }

    @Test
    void managerQueueGet_payloadCorruptedOnDisk_movesItToDeadLetters_readableFromTheQueue() throws Exception {
        try (Manager m = Manager.embedded(); Space files = Space.open(m.directory())) {
            SharedQueue<String> q = m.queue("letters");
            q.put("first");
            // the queue's data is a channel of the manager's space: find the second excerpt there
            Channel<String> raw = files.channel(io.ipckit.core.internal.manager.ManagerLayout.QUEUE_PREFIX + "letters");
            Excerpt second = putAll(raw, "second", "third").get(1);
            byte[] garbage = new byte[8];
            Arrays.fill(garbage, (byte) 0xFF);
            overwrite(second.file, second.payloadAt, garbage);

            assertEquals("first", q.get(5, TimeUnit.SECONDS));
            SerializationException e = assertThrows(SerializationException.class, () -> q.get(5, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("dead-letter"), e.getMessage());
            assertEquals("third", q.get(5, TimeUnit.SECONDS));
            q.put("fourth");
            assertEquals("fourth", q.get(5, TimeUnit.SECONDS));
            List<DeadLetter> dead = q.deadLetters();
            assertEquals(1, dead.size());
            assertEquals(second.index, dead.get(0).index());
            assertEquals((byte) 0xFF, dead.get(0).payload()[0], "kept byte for byte, as found");
        }
    }

    @Test
    void take_chronicleHeaderCorruptedOnDisk_throwsChannelCorruptNamingChannelAndFix_onEveryLaterTake() throws Exception {
        try (Space space = Space.create()) {
            Channel<String> ch = space.channel("header");
            Excerpt second = putAll(ch, "first", "second").get(1);
            // Chronicle's 4-byte header before the excerpt holds its length and flags: make it claim 1 GiB
            overwrite(second.file, second.headerAt, new byte[] {0, 0, 0, 0x3F});
            assertEquals("first", ch.take());
            long t0 = System.nanoTime();
            ChannelCorruptException e = assertThrows(ChannelCorruptException.class, () -> ch.poll(2, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("channel 'header'") && e.getMessage().contains("Recreate the channel"),
                    e.getMessage());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "fails at once, no hang");
            assertThrows(ChannelCorruptException.class, ch::poll, "never a silent null after that");
            Channel<String> fresh = space.channel("header-2");
            fresh.put("the fix works");
            assertEquals("the fix works", fresh.take());
        }
    }

    // ---- invalid names ------------------------------------------------------------------------------

    @Test
    void invalidName_isRefusedNamingItAndTheRule_onEverySurface_beforeAnyFileIsTouched() throws Exception {
        try (Manager m = Manager.embedded(); Space space = Space.create()) {
            Set<Path> spaceBefore = tree(space.directory());
            Set<Path> managerBefore = tree(m.directory());
            List<Consumer<String>> surfaces = List.of(space::channel, space::channelBuilder, m::queue, n -> m.queue(n, 3),
                    m::joinableQueue, m::map, m::list, m::lock, m::rlock, n -> m.semaphore(n, 1),
                    n -> m.boundedSemaphore(n, 1), n -> m.condition(n, "lock"), n -> m.condition("cond", n), m::event,
                    n -> m.barrier(n, 2), m::sharedLong, n -> m.value(n, 0),
                    n -> m.register(n, Runnable.class, () -> () -> { }), n -> m.proxy(n, Runnable.class));
            for (String bad : BAD_NAMES) {
                for (int i = 0; i < surfaces.size(); i++) {
                    Consumer<String> surface = surfaces.get(i);
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> surface.accept(bad),
                            "surface " + i + ", name " + bad.length() + " chars");
                    assertTrue(e.getMessage().contains("[A-Za-z0-9._-]"), "rule missing: " + e.getMessage());
                    String shown = bad.length() > 20 ? bad.substring(0, 20) : bad.replaceAll("\\p{Cntrl}.*", "");
                    assertTrue(e.getMessage().contains(shown), "name missing: " + e.getMessage());
                    assertTrue(e.getMessage().length() < 400, "a long name is cut: " + e.getMessage().length());
                }
            }
            assertThrows(IllegalArgumentException.class, () -> m.map(null));
            assertThrows(IllegalArgumentException.class, () -> space.channel(null));
            assertEquals(spaceBefore, tree(space.directory()));
            assertEquals(managerBefore, tree(m.directory()));
            m.map("fine").put("k", 1);
            assertEquals(1, m.map("fine").get("k"));
        }
    }

    // ---- wrong token (ManagerTest.connect_wrongToken_isRefused), foreign space, open permissions -------

    @Test
    void openOrConnect_spaceOpenToOthers_throwsSecurityExceptionNamingDirAndChmod() throws Exception {
        try (Manager m = Manager.embedded()) {
            Path dir = m.directory();
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            try {
                for (ThrowingRunnable open : List.<ThrowingRunnable>of(() -> Space.open(dir).close(),
                        () -> Manager.connect(m.address()).close())) {
                    SecurityException e = assertThrows(SecurityException.class, open::run);
                    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
                    assertTrue(e.getMessage().contains("chmod 700"), e.getMessage());
                }
            } finally {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            try (Manager again = Manager.connect(m.address())) {
                again.map("m").put("k", "v");
            }
        }
    }

    @Test
    void openOrConnect_spaceOwnedByAnotherUser_throwsSecurityExceptionNamingDirAndOwner() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "giving the space to another user (chown) needs root");
        try (Manager m = Manager.embedded()) {
            Path dir = m.directory();
            Object me = Files.getAttribute(dir, "unix:uid");
            Files.setAttribute(dir, "unix:uid", 65534);
            try {
                for (ThrowingRunnable open : List.<ThrowingRunnable>of(() -> Space.open(dir).close(),
                        () -> Manager.connect(m.address()).close())) {
                    SecurityException e = assertThrows(SecurityException.class, open::run);
                    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
                    assertTrue(e.getMessage().contains("belongs to"), e.getMessage());
                    assertTrue(e.getMessage().contains("spaces you created"), e.getMessage());
                }
            } finally {
                Files.setAttribute(dir, "unix:uid", me);
            }
            m.map("m").put("k", "v");
        }
    }

    // ---- use after close ----------------------------------------------------------------------------

    @Test
    void useAfterClose_throwsNamingTheObject_onSpaceChannelQueueMapAndLock() throws Exception {
        Manager m = Manager.embedded();
        SharedQueue<String> q = m.queue("late-q");
        SharedMap<String, String> map = m.map("late-map");
        SharedLock lock = m.lock("late-lock");
        SharedQueue<String> closedHandle = m.queue("late-q");
        closedHandle.close();
        ChannelClosedException ce = assertThrows(ChannelClosedException.class, () -> closedHandle.put("x"));
        assertTrue(ce.getMessage().contains("late-q"), ce.getMessage());
        q.put("other handles go on");
        assertEquals("other handles go on", q.poll());
        m.close();
        for (ThrowingRunnable call : List.<ThrowingRunnable>of(() -> q.put("x"), () -> map.put("k", "v"), lock::lock,
                () -> m.map("new"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
            assertTrue(e.getMessage().contains("late-") || e.getMessage().contains(m.directory().toString()),
                    e.getMessage());
        }

        Space space = Space.create();
        Channel<String> ch = space.channel("late-channel");
        ch.close();
        ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> ch.put("x"));
        assertTrue(e.getMessage().contains("late-channel") && e.getMessage().contains("Space.channel"), e.getMessage());
        assertThrows(ChannelClosedException.class, ch::deadLetters);
        Channel<String> reopened = space.channel("late-channel");
        reopened.put("y");
        assertEquals("y", reopened.poll());
        space.close();
        e = assertThrows(ChannelClosedException.class, () -> space.channel("x"));
        assertTrue(e.getMessage().contains(space.directory().toString()) && e.getMessage().contains("Space.open"),
                e.getMessage());
    }

    // ---- full disk or /dev/shm ----------------------------------------------------------------------

    @Test
    void put_spaceBelowItsFreeSpaceMinimum_throwsSpaceFullNamingDirAndFix_nothingAppended_readersDrain() throws Exception {
        try (Space space = Space.create()) {
            Channel<String> writer = space.channel("room");
            writer.put("a");
            writer.put("b");
            try (Space strict = Space.builder().directory(space.directory()).minFreeBytes(Long.MAX_VALUE / 4).open()) {
                Channel<String> ch = strict.channel("room");
                SpaceFullException e = assertThrows(SpaceFullException.class, () -> ch.put("c"));
                assertTrue(e.getMessage().contains("channel 'room'"), e.getMessage());
                assertTrue(e.getMessage().contains(space.directory().toString()), e.getMessage());
                assertTrue(e.getMessage().contains("Space.builder().parent"), e.getMessage());
                assertTrue(e.getMessage().contains("minFreeBytes"), e.getMessage());
                assertEquals(space.directory().resolve("channels/room/queue"), e.directory());
                assertEquals(2, ch.size(), "nothing appended");
                assertEquals("a", ch.poll());
                assertEquals("b", ch.poll());
                assertNull(ch.poll());
            }
            writer.put("d");
            assertEquals("d", writer.poll());
        }
    }

    @Test
    @Timeout(120)
    void put_onFullTmpfs_throwsSpaceFullInsteadOfCrashing_channelAndManagerQueueDrain() throws Exception {
        Path mount = Files.createDirectory(work.resolve("tiny"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()) == 0,
                "mounting a 2 MB tmpfs needs root and a sandbox that allows mount; the minFreeBytes test covers the same error");
        try (Children children = new Children(work)) {
            for (String what : List.of("fill-channel", "fill-queue")) {
                Process child = children.start(BadInputChildMain.class, what, mount.toString());
                int rc = children.await(child, 50);
                String log = children.logOf(child);
                assertEquals(0, rc, "the filling JVM must not crash (SIGBUS): " + log);
                List<String> lines = events(log);
                assertEquals(3, lines.size(), log);
                String full = lines.get(0);
                assertTrue(full.startsWith("FULL ") && full.contains(mount.toString())
                        && full.contains("Space.builder().parent"), full);
                String[] drained = lines.get(1).split(" ");
                assertEquals("DRAINED", drained[0], log);
                assertEquals(drained[1], drained[3], "every message put before the disk was full is taken: " + log);
                assertTrue(Integer.parseInt(drained[1]) > 10, log);
                assertEquals("SMALL OK", lines.get(2), log);
            }
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static List<String> events(String log) {
        return log.lines().filter(l -> l.matches("^(TOOK|FAILED|FULL|DRAINED|SMALL|NEVER) .*|^SMALL OK$"))
                .collect(Collectors.toList());
    }

    /** Where a stored message lies in its cycle file. */
    private record Excerpt(long index, File file, long headerAt, long payloadAt) {
    }

    /**
     * Puts {@code messages} and returns where each lies on disk, as found with Chronicle's tailer and
     * {@code ExcerptLayout}.
     */
    private static List<Excerpt> putAll(Channel<String> ch, String... messages) throws InterruptedException {
        for (String m : messages) {
            ch.put(m);
        }
        List<Excerpt> found = new ArrayList<>();
        Path dir = ch.space().directory().resolve("channels").resolve(ch.name()).resolve("queue");
        try (SingleChronicleQueue q = ChannelFiles.open(dir, Channel.DEFAULT_ROLL_CYCLE, Codec.DEFAULT_MAX_MESSAGE_BYTES);
             ExcerptTailer tailer = q.createTailer()) {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return found;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    long start = bytes.readPosition();
                    found.add(new Excerpt(dc.index(), tailer.currentFile(), start - 4,
                            start + io.ipckit.core.internal.channel.ExcerptLayout.HEADER));
                }
            }
        }
    }

    /** Writes {@code bytes} into the file at {@code at} through the file system, not the mapping. */
    private static void overwrite(File file, long at, byte[] bytes) throws Exception {
        try (FileChannel fc = FileChannel.open(file.toPath(), StandardOpenOption.WRITE)) {
            fc.write(ByteBuffer.wrap(bytes), at);
        }
    }

    private static Set<Path> tree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
