package io.ipckit.core;

import io.ipckit.core.internal.Files2;
import io.ipckit.core.internal.PipeState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Two connected ends (Python's {@code multiprocessing.Pipe(duplex)}): what one end sends, the other
 * receives, in order, from any thread of any process on this host. {@code Pipe.open()} is duplex (each end
 * sends and receives); {@code Pipe.open(false)} is one-way: the {@link #first()} end receives and the
 * {@link #second()} sends, as Python's {@code (r, w)}. No manager is involved: a pipe is a small space of
 * its own (two channels and a state file, under {@link Space#defaultParent()}).
 *
 * <pre>{@code
 * try (Pipe pipe = Pipe.open()) {
 *     Connection parent = pipe.first(), child = pipe.second();
 *     Process p = new Process(() -> { child.send("hello"); child.close(); });   // io.ipckit.pool.Process
 *     p.start();
 *     System.out.println((String) parent.recv());   // hello
 * }
 * }</pre>
 *
 * <p>Its files are removed when both ends are closed (see {@link Connection#close()}), or by
 * {@link #close()} here once no other live process uses the pipe, or when this process exits and no other
 * live process uses it. Any thread.
 */
public final class Pipe implements AutoCloseable {
    static final String STATE_FILE = "pipe.state";
    /** Pipes this JVM made and has not removed: removed at exit when nobody else uses them. */
    private static final Map<Path, Boolean> MADE_HERE = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Pipe::removeOrphans, "ipckit-pipes-remove"));
    }

    private final Path dir;
    private final Connection first;
    private final Connection second;

    private Pipe(Path dir) {
        this.dir = dir;
        this.first = Connection.of(dir, 0);
        this.second = Connection.of(dir, 1);
    }

    /** A duplex pipe. */
    public static Pipe open() {
        return open(true);
    }

    /**
     * A pipe: duplex, or one-way ({@code duplex == false}: the first end receives, the second sends).
     *
     * @throws UncheckedIOException when its files cannot be made
     */
    public static Pipe open(boolean duplex) {
        Space space = Space.builder().deleteOnClose(false).create();
        Path dir = space.directory();
        try {
            PipeState.create(dir.resolve(STATE_FILE), duplex);
            space.channel(channelTo(0));
            space.channel(channelTo(1));
        } catch (IOException | RuntimeException e) {
            space.close();
            try {
                Files2.deleteRecursively(dir);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException) {
                throw new UncheckedIOException("cannot make a pipe in " + dir + ": " + e, (IOException) e);
            }
            throw (RuntimeException) e;
        }
        space.close();
        MADE_HERE.put(dir, Boolean.TRUE);
        return new Pipe(dir);
    }

    /** The channel that carries messages to {@code end}. */
    static String channelTo(int end) {
        return "to-" + end;
    }

    /** The first end (Python's {@code conn1}; the receiving one of a one-way pipe). */
    public Connection first() {
        return first;
    }

    /** The second end (Python's {@code conn2}; the sending one of a one-way pipe). */
    public Connection second() {
        return second;
    }

    /** The pipe's directory. */
    public Path directory() {
        return dir;
    }

    /**
     * Closes both ends' handles of this process and removes the pipe's files unless another live process
     * uses it (then the last end closed removes them). Idempotent; never blocks.
     */
    @Override
    public void close() {
        first.close();
        second.close();
        removeIfUnused(dir);
    }

    private static void removeIfUnused(Path dir) {
        if (!Files.isDirectory(dir)) {
            MADE_HERE.remove(dir);
            return;
        }
        try {
            if (!PipeState.open(dir.resolve(STATE_FILE)).otherUsersAlive()) {
                Files2.deleteRecursively(dir);
                MADE_HERE.remove(dir);
            }
        } catch (IOException | RuntimeException e) {
            // already gone, or not ours to judge: `ipckit clean` removes it once its creator is dead
        }
    }

    private static void removeOrphans() {
        for (Path dir : MADE_HERE.keySet()) {
            removeIfUnused(dir);
        }
    }

    @Override
    public String toString() {
        return "Pipe[" + dir + "]";
    }
}
