package io.ipckit.core.internal.channel;

import io.ipckit.core.SpaceFullException;
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
 * <p>Where {@code fallocate} is not available (not Linux, or the file system does not support it) only
 * the free-space check is made. One guard per channel handle; safe for any thread (the fast path reads
 * three volatile fields).
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
     * The native binding, loaded when a guard first finds room short ({@link #beforeNewCycle}, outside
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
     * Called before an append that will write into cycle {@code nextCycle} when the appender is on
     * {@code appenderCycle}: a new cycle file is only started when there is room for a window.
     *
     * @throws SpaceFullException when there is not
     */
    public void beforeNewCycle(int appenderCycle, int nextCycle, int messageBytes) {
        if (wantPosix) {
            Posix.load();
            wantPosix = false;
        }
        if (appenderCycle == nextCycle && cycle == nextCycle) {
            return;
        }
        checkFreeSpace(messageBytes + SLACK, messageBytes);
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
