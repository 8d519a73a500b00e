package io.ipckit.core.internal.manager.client;

import io.ipckit.core.ManagerGoneException;
import io.ipckit.core.internal.manager.EmbeddedServers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether the manager of a space still runs: the one answer to that question on the client side,
 * asked by {@link ManagerClient} while a caller waits for a reply and by the handles that work on the
 * space's mapped files without asking the manager (queues, shared longs). A manager in this JVM must be
 * registered in {@link EmbeddedServers}; one in another JVM must be alive and its space directory present.
 * Safe for any thread of the client process; {@link #check(Object)} looks at most every
 * {@link #CHECK_NANOS} ns, so it is cheap to call often; {@link #alive()} costs a process-table lookup.
 */
public final class ManagerWatch {
    /** How often {@link #check()} really looks: the bound on noticing a dead manager. */
    public static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Path dir;
    private final long pid;
    private final Optional<ProcessHandle> process;
    private volatile long nextCheck;
    private volatile boolean gone;

    public ManagerWatch(Path dir, long pid) {
        this.dir = dir;
        this.pid = pid;
        this.process = ProcessHandle.of(pid);
        this.nextCheck = System.nanoTime() + CHECK_NANOS;
    }

    /** The watch of the manager {@code client} is connected to: the client's own. */
    public static ManagerWatch of(ManagerClient client) {
        return client.watch();
    }

    public Path directory() {
        return dir;
    }

    /** Whether the manager runs, looked at now. Once found gone it stays gone. */
    public boolean alive() {
        if (gone) {
            return false;
        }
        boolean alive = pid == ProcessHandle.current().pid()
                ? EmbeddedServers.isRunning(dir)
                : process.map(ProcessHandle::isAlive).orElse(false) && Files.isDirectory(dir);
        if (!alive) {
            gone = true;
        }
        return alive;
    }

    /**
     * Whether the manager runs, as last seen: looks again (as {@link #alive()}) only when {@link #CHECK_NANOS}
     * passed since the last look, as {@link #check(Object)} does. Never blocks.
     */
    public boolean aliveLately() {
        if (gone) {
            return false;
        }
        long now = System.nanoTime();
        if (now - nextCheck < 0) {
            return true;
        }
        nextCheck = now + CHECK_NANOS;
        return alive();
    }

    /**
     * Throws when the manager was found gone; looks again only when {@link #CHECK_NANOS} passed since the
     * last look. Never blocks.
     *
     * @param what the object being used, named in the message (its {@code toString()} is called only
     *             when the manager is gone)
     * @throws ManagerGoneException when the manager is gone
     */
    public void check(Object what) {
        if (!gone) {
            long now = System.nanoTime();
            if (now - nextCheck < 0) {
                return;
            }
            nextCheck = now + CHECK_NANOS;
            if (alive()) {
                return;
            }
        }
        throw gone(what);
    }

    /** The exception for a use of {@code what} after the manager is gone. */
    public ManagerGoneException gone(Object what) {
        return new ManagerGoneException("the manager of " + dir + " (pid " + pid + ") is gone, and with it "
                + what + "; start a new manager, or connect to one that runs");
    }
}
