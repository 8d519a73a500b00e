package io.ipckit.core.internal.channel;

import io.ipckit.core.SpaceFullException;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.posix.OpenFlag;
import net.openhft.posix.PosixAPI;
import net.openhft.posix.internal.jnr.JNRPosixAPI;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps appends from touching a mapped page the file system cannot back. Chronicle maps its cycle
 * files sparsely; on a full tmpfs ({@code /dev/shm}) or disk, the first write to an unbacked page raises
 * SIGBUS, which the JVM turns into an {@link InternalError} at some later point, after the message was
 * half written. So before an append reaches past the part of the current cycle file known to be backed,
 * the guard checks the file system's free space and, when less than {@link #FALLOCATE_BELOW} is spare,
 * allocates the message plus up to {@value #WINDOW} bytes ahead with {@code fallocate(FALLOC_FL_KEEP_SIZE)};
 * when either fails, the append is refused with a
 * {@link SpaceFullException} before anything is written. A new cycle file (a roll, or the first append)
 * is only started after the same free-space check.
 *
 * <p>The roll check rides on Chronicle's own clock read, so an append reads the clock once, not twice
 * (a clock read is about 28 ns on a KVM guest, a few percent of an append). The guard is the queue's
 * {@link TimeProvider} ({@link #clock}); Chronicle asks it for the time under its write lock, just before
 * it starts a new cycle file when the cycle changed:
 * <pre>
 *   appending thread                                 the guard's clock
 *   ----------------                                 -----------------
 *   appending(n) marks the thread                    t = the system clock
 *   appender.writingDocument()                       t &lt; admittedUntil: return t          (fast path)
 *     writeLock.lock()                               else, on a marked thread: free-space check
 *     queue.cycle() ------------------------------&gt;     room: admittedUntil = end of t's cycle, return t
 *     new cycle? start its file                        none: throw SpaceFullException (Chronicle
 *   marks cleared                                            unlocks and rethrows; nothing written)
 *                                                    else (a reader's poll): return t, admit nothing
 * </pre>
 * No new cycle file is started unchecked: Chronicle starts one only for the cycle of a time the clock has
 * just returned to a marked thread, and the clock returns a time past {@code admittedUntil} to a marked
 * thread only after the check passed. Readers are never refused.
 *
 * <p>Where {@code fallocate} is not available (not Linux, or the file system does not support it) only
 * the free-space check is made. One guard per channel handle; safe for any thread (the fast paths read
 * volatile fields).
 */
public final class DiskGuard implements AutoCloseable {
    /** Bytes checked for (and, when room is short, allocated) ahead of the write position at a time. */
    static final long WINDOW = 256L << 10;
    /** Room kept backed past a message for Chronicle's next header and index pages. */
    static final long SLACK = 64L << 10;
    /** Free bytes needed to open a channel: its state file, Chronicle's metadata file, directories. */
    static final long TO_OPEN = 64L << 10;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    /**
     * Below this much spare room the guard also allocates each window with {@code fallocate}; above it
     * the free-space check is enough (other processes cannot use that much between the check and the
     * write). Loading the native binding costs about half a second, so a JVM only pays it when the file
     * system is nearly full, and outside Chronicle's write lock: when a channel is opened on a file system
     * already short of room, or else before the append after the first short window (which then has the
     * free-space check only).
     */
    static final long FALLOCATE_BELOW = 64L << 20;

    private final String channel;
    private final Path dir;
    private final long minFreeBytes;
    private volatile int cycle = Integer.MIN_VALUE;
    private volatile long backedTo;
    private File file;
    private int fd = -1;
    private boolean fallocateWorks = true;
    /** Room was found short before the native binding was loaded: the next append loads it. */
    private volatile boolean wantPosix;
    /** The end (ms since the epoch) of the last cycle whose file an append may start: room was checked. */
    private volatile long admittedUntil;
    /** How many times the clock checked room for a new cycle (tests). */
    volatile int roomChecks;

    /**
     * @param channel the channel's name, for messages
     * @param dir the channel's queue directory
     * @param minFreeBytes free bytes the file system must keep after an append's window
     */
    public DiskGuard(String channel, Path dir, long minFreeBytes) {
        this.channel = channel;
        this.dir = dir;
        this.minFreeBytes = minFreeBytes;
    }

    /**
     * The native binding, loaded when a guard first finds room short ({@link #beforeAppend}, outside
     * Chronicle's write lock: loading takes about half a second, which other producers would wait out).
     * Made here rather than taken from {@code PosixAPI.posix()}: ipckit installs Chronicle's no-op binding
     * there ({@link io.ipckit.core.internal.Bootstrap}), whose {@code fallocate} reports success.
     */
    private static final class Posix {
        private static volatile boolean loaded;
        private static volatile PosixAPI api;

        static synchronized void load() {
            if (!loaded) {
                try {
                    api = System.getProperty("os.name", "").startsWith("Linux") ? new JNRPosixAPI() : null;
                } catch (Throwable t) {
                    api = null;
                }
                loaded = true;
            }
        }
    }

    /**
     * Called before each append, outside Chronicle's write lock: loads the native binding when a window
     * found room short. Then mark the thread with {@link #appending} around {@code writingDocument()}.
     */
    public void beforeAppend() {
        if (wantPosix) {
            Posix.load();
            wantPosix = false;
        }
    }

    /**
     * The calling thread's mark: set {@link Appending#bytes} to the message's size just before
     * {@code writingDocument()} and back to 0 just after, so that the {@link #clock} checks room for a new
     * cycle file on this thread (and on no reader's).
     */
    public static Appending appending() {
        return APPENDING.get();
    }

    /** One thread's mark: the size of the message it is opening a document for, 0 when none. */
    public static final class Appending {
        public int bytes;
    }

    private static final ThreadLocal<Appending> APPENDING = ThreadLocal.withInitial(Appending::new);

    /**
     * The clock to build this guard's queue with ({@code SingleChronicleQueueBuilder.timeProvider}): the
     * system clock, with the roll check described above. Tell it the built queue's epoch
     * ({@link Clock#epoch}) before the first append.
     */
    public Clock clock(RollCycle rollCycle) {
        return new Clock(rollCycle, SystemTimeProvider.INSTANCE);
    }

    /** As {@link #clock(RollCycle)}, reading time from {@code time} (tests). */
    Clock clock(RollCycle rollCycle, TimeProvider time) {
        return new Clock(rollCycle, time);
    }

    /** A guarded queue's clock; any thread (Chronicle's appenders and tailers call it). */
    public final class Clock implements TimeProvider {
        private final long length;
        private final TimeProvider time;
        private volatile long epoch;

        private Clock(RollCycle rollCycle, TimeProvider time) {
            this.length = rollCycle.lengthInMillis();
            this.time = time;
            this.epoch = rollCycle.defaultEpoch();
        }

        /** Sets the queue's epoch ({@code SingleChronicleQueue.epoch()}, known once it is built). */
        public void epoch(long epoch) {
            this.epoch = epoch;
        }

        @Override
        public long currentTimeMillis() {
            long now = time.currentTimeMillis();
            if (now >= admittedUntil) {
                admit(now);
            }
            return now;
        }

        /** The slow path: a time past the last admitted cycle. */
        private void admit(long now) {
            int bytes = APPENDING.get().bytes;
            if (bytes > 0) { // a reader's poll is never refused, and admits nothing
                roomChecks++;
                checkFreeSpace(bytes + SLACK, bytes);
                long e = epoch;
                admittedUntil = e + ((now - e) / length + 1) * length;
            }
        }
    }

    /**
     * Makes sure the bytes {@code [from, to + SLACK)} of {@code cycleFile} are backed; call inside the
     * document being written, before writing its payload.
     *
     * @throws SpaceFullException when they cannot be (roll the document back: nothing is written yet)
     */
    public void ensureBacked(int fileCycle, File cycleFile, long from, long to, int messageBytes) {
        if (fileCycle == cycle && to + SLACK <= backedTo) {
            return;
        }
        grow(fileCycle, cycleFile, from, to + SLACK, messageBytes);
    }

    private synchronized void grow(int fileCycle, File cycleFile, long from, long to, int messageBytes) {
        if (fileCycle != cycle || !cycleFile.equals(file)) {
            closeFd();
            file = cycleFile;
            backedTo = 0;
            cycle = fileCycle;
        }
        if (to <= backedTo) {
            return;
        }
        long start = Math.max(backedTo, from & ~4095L);
        long spare = checkFreeSpace(to - start, messageBytes);
        long end = to + Math.min(WINDOW, spare);
        if (fallocateWorks && spare < FALLOCATE_BELOW && !Posix.loaded) {
            wantPosix = true; // this window has the free-space check only; the next append loads the binding
        } else if (fallocateWorks && spare < FALLOCATE_BELOW) {
            PosixAPI posix = Posix.api;
            if (posix == null) {
                fallocateWorks = false;
            } else {
                if (fd < 0) {
                    fd = posix.open(cycleFile.getPath(), OpenFlag.O_RDWR.value(), 0);
                }
                if (fd < 0 || posix.fallocate(fd, FALLOC_FL_KEEP_SIZE, start, end - start) != 0) {
                    int errno = posix.lastError();
                    if (errno == 28 /* ENOSPC */ || errno == 27 /* EFBIG */ || errno == 122 /* EDQUOT */) {
                        throw full(messageBytes, new IOException(posix.strerror(errno) + " (fallocate of "
                                + (end - start) + " bytes at " + start + " in " + cycleFile + ")"));
                    }
                    fallocateWorks = false; // EOPNOTSUPP and the like: rely on the free-space check alone
                }
            }
        }
        backedTo = end;
    }

    /**
     * Refuses to create the files of channel {@code channel} in {@code channelDir} when the file system
     * lacks room for them: mapping them on a full tmpfs would crash later with SIGBUS.
     *
     * @throws SpaceFullException naming the directory and the fix
     */
    public static void checkRoomToOpen(String channel, Path channelDir, long minFreeBytes) {
        Path existing = channelDir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        long usable = usableSpace(existing);
        if (usable - TO_OPEN - minFreeBytes < FALLOCATE_BELOW) {
            Posix.load(); // room is short already: load the binding now, so the first window is allocated too
        }
        if (usable - TO_OPEN < minFreeBytes) {
            throw new SpaceFullException("cannot open channel '" + channel + "' in " + channelDir + ": " + usable
                    + " bytes free on the file system, " + TO_OPEN + " needed" + kept(minFreeBytes) + "; " + FIX,
                    channelDir, new IOException(usable + " bytes free"));
        }
    }

    private static final String FIX = "free space on that file system (consumers taking messages lets old roll-cycle"
            + " files be deleted), or create the space elsewhere with Space.builder().parent(dir)";

    /**
     * One {@code statvfs} ({@link File#getUsableSpace()}), not {@code Files.getFileStore}, which also
     * looks the mount up in the mount table: this runs on the append path, once per window.
     */
    private static long usableSpace(Path where) {
        if (where == null) {
            return Long.MAX_VALUE;
        }
        try {
            long usable = where.toFile().getUsableSpace();
            // 0 is also what a missing directory or an error gives: tell a full file system from those
            return usable > 0 || Files.isDirectory(where) ? usable : Long.MAX_VALUE;
        } catch (RuntimeException e) {
            return Long.MAX_VALUE; // cannot tell: fallocate, where it works, still guards appends
        }
    }

    private static String kept(long minFreeBytes) {
        return minFreeBytes > 0 ? " and " + minFreeBytes + " to be kept free (Space.builder().minFreeBytes)" : "";
    }

    /** @return the bytes free beyond {@code needed} and the kept minimum; throws when there are not {@code needed} */
    private long checkFreeSpace(long needed, int messageBytes) {
        long usable = usableSpace(dir);
        if (usable == Long.MAX_VALUE) {
            usable = usableSpace(dir.getParent()); // the queue directory is not created yet
        }
        long spare = usable - needed - minFreeBytes;
        if (spare < 0) {
            throw full(messageBytes, new IOException(usable + " bytes free on the file system, " + needed
                    + " needed" + kept(minFreeBytes)));
        }
        return spare;
    }

    private SpaceFullException full(int messageBytes, IOException cause) {
        return new SpaceFullException("channel '" + channel + "': no room to append a " + messageBytes
                + "-byte message in " + dir + ": " + cause.getMessage() + "; nothing was appended. To fix: " + FIX,
                dir, cause);
    }

    private void closeFd() {
        if (fd >= 0) {
            Posix.api.close(fd);
            fd = -1;
        }
    }

    @Override
    public synchronized void close() {
        closeFd();
    }
}
