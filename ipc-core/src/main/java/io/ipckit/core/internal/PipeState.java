package io.ipckit.core.internal;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * A pipe's shared state ({@link io.ipckit.core.Pipe}): for each of its two ends, which processes use it
 * and whether it is closed, so that each end can tell when the other is gone (Python's {@code EOFError}
 * and {@code BrokenPipeError}). A 4 KiB file in the pipe's space, mapped by every process that uses an
 * end. The layout, described here and nowhere else (native byte order):
 *
 * <pre>
 * offset          size  field
 *      0             8  magic    "IPCKPIP1"
 *      8             4  version  {@value #VERSION}
 *     12             4  duplex   1: both ends send and receive; 0: the first receives, the second sends
 *     64 + 1024 e        end e (0: the first, 1: the second):
 *       +0           8  closed   1 once a process that used the end closed it and no user of it lives
 *       +64 + 16 i       user slot i &lt; {@value #USERS}: pid (8; 0 = free, -1 = being claimed),
 *                        start time in epoch ms (8; so that a reused pid is not taken for the user)
 * </pre>
 *
 * An end is closed for the other when its {@code closed} word is 1, or when processes used it and all of
 * them are dead (killed, crashed, exited without closing). A process becomes a user of an end on its first
 * use of it, not when it merely holds it: a parent that hands an end to a child and closes its own copy,
 * never used, does not close it for the child. Safe for any thread of any process.
 */
public final class PipeState {
    static final long MAGIC = 0x315049504B435049L; // "IPCKPIP1" read as a little-endian long
    static final int VERSION = 1;
    static final int SIZE = 4096;
    static final int USERS = 32;
    private static final int OFF_MAGIC = 0;
    private static final int OFF_VERSION = 8;
    private static final int OFF_DUPLEX = 12;
    private static final long CLAIMING = -1;
    private static final VarHandle LONGS = MappedFiles.LONGS;
    private static final VarHandle INTS = MappedFiles.INTS;

    private final MappedByteBuffer map;

    private PipeState(MappedByteBuffer map) {
        this.map = map;
    }

    /** Creates the state file of a new pipe. */
    public static PipeState create(Path file, boolean duplex) throws IOException {
        return check(file, MappedFiles.createOrMap(file, SIZE, "pipe state", header -> {
            header.putLong(OFF_MAGIC, MAGIC);
            header.putInt(OFF_VERSION, VERSION);
            header.putInt(OFF_DUPLEX, duplex ? 1 : 0);
        }));
    }

    /** Maps the state file of an existing pipe. */
    public static PipeState open(Path file) throws IOException {
        return check(file, MappedFiles.map(file, SIZE, "pipe state"));
    }

    private static PipeState check(Path file, MappedByteBuffer map) {
        long magic = (long) LONGS.getVolatile(map, OFF_MAGIC);
        int version = (int) INTS.getVolatile(map, OFF_VERSION);
        if (magic != MAGIC || version != VERSION) {
            throw new IllegalStateException("not an ipckit pipe state file (version " + VERSION + "): " + file
                    + " (magic " + Long.toHexString(magic) + ", version " + version + ")");
        }
        return new PipeState(map);
    }

    /** Whether both ends send and receive. */
    public boolean duplex() {
        return (int) INTS.getVolatile(map, OFF_DUPLEX) == 1;
    }

    /** Makes this process a user of {@code end} (idempotent; when every slot is taken, it goes unlisted). */
    public void use(int end) {
        int free = -1;
        for (int i = 0; i < USERS; i++) {
            long pid = (long) LONGS.getVolatile(map, slot(end, i));
            if (ProcessIds.isMe(pid, start(end, i))) {
                return;
            }
            if (free < 0 && (pid == 0 || (pid > 0 && !ProcessIds.alive(pid, start(end, i))))) {
                free = i;
            }
        }
        for (int i = Math.max(free, 0); i < USERS; i++) {
            long pid = (long) LONGS.getVolatile(map, slot(end, i));
            if ((pid == 0 || (pid > 0 && !ProcessIds.alive(pid, start(end, i))))
                    && LONGS.compareAndSet(map, slot(end, i), pid, CLAIMING)) {
                LONGS.setVolatile(map, slot(end, i) + 8, ProcessIds.MY_START);
                LONGS.setRelease(map, slot(end, i), ProcessIds.MY_PID);
                return;
            }
        }
    }

    /** Whether this process is a user of {@code end}. */
    public boolean usedHere(int end) {
        for (int i = 0; i < USERS; i++) {
            if (ProcessIds.isMe((long) LONGS.getVolatile(map, slot(end, i)), start(end, i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * This process stops using {@code end}; when no user of it lives any more, the end is closed.
     *
     * @return whether both ends are closed now
     */
    public boolean release(int end) {
        for (int i = 0; i < USERS; i++) {
            if (ProcessIds.isMe((long) LONGS.getVolatile(map, slot(end, i)), start(end, i))) {
                LONGS.compareAndSet(map, slot(end, i), ProcessIds.MY_PID, 0L);
            }
        }
        if (!anyLiveUser(end)) {
            LONGS.setVolatile(map, closedWord(end), 1L);
        }
        return isClosed(0) && isClosed(1);
    }

    /** Whether {@code end} is closed: closed by its last user, or every process that used it is dead. */
    public boolean isClosed(int end) {
        if ((long) LONGS.getVolatile(map, closedWord(end)) == 1L) {
            return true;
        }
        boolean anyUser = false;
        for (int i = 0; i < USERS; i++) {
            long pid = (long) LONGS.getVolatile(map, slot(end, i));
            if (pid > 0) {
                anyUser = true;
                if (ProcessIds.alive(pid, start(end, i))) {
                    return false;
                }
            } else if (pid == CLAIMING) {
                return false;
            }
        }
        return anyUser;
    }

    /** Whether a process other than this one uses either end and lives. */
    public boolean otherUsersAlive() {
        for (int end = 0; end < 2; end++) {
            for (int i = 0; i < USERS; i++) {
                long pid = (long) LONGS.getVolatile(map, slot(end, i));
                if (pid > 0 && pid != ProcessIds.MY_PID && ProcessIds.alive(pid, start(end, i))) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean anyLiveUser(int end) {
        for (int i = 0; i < USERS; i++) {
            long pid = (long) LONGS.getVolatile(map, slot(end, i));
            if (pid == CLAIMING || (pid > 0 && ProcessIds.alive(pid, start(end, i)))) {
                return true;
            }
        }
        return false;
    }

    private long start(int end, int i) {
        return (long) LONGS.getVolatile(map, slot(end, i) + 8);
    }

    private static int closedWord(int end) {
        return 64 + 1024 * end;
    }

    private static int slot(int end, int i) {
        return 64 + 1024 * end + 64 + 16 * i;
    }


}
