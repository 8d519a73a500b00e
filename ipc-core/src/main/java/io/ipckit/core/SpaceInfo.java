package io.ipckit.core;

import io.ipckit.core.internal.Bootstrap;
import io.ipckit.core.internal.Files2;
import io.ipckit.core.internal.SpaceLayout;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.protocol.ManagerProtocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * What a space on this host is, read from its files without opening it: its creator, its manager, its
 * channels. The supported way for tools (the {@code ipckit} command line, a monitor) to look at spaces
 * they did not create; nothing here changes a space except {@link #removeIfAbandoned()}.
 *
 * <pre>{@code
 * for (SpaceInfo s : SpaceInfo.list(SpaceInfo.defaultParents())) {
 *     System.out.println(s.directory() + " creator " + s.creatorPid() + (s.creatorAlive() ? " alive" : " dead"));
 *     for (ChannelInfo c : s.channels()) {
 *         System.out.println("  " + c.name() + " depth " + c.depth());
 *     }
 * }
 * }</pre>
 *
 * <p>An instance is an immutable snapshot of the marker and the manager file taken when it was made
 * (pids and whether they were alive then); {@link #channels()}, {@link #diskBytes()} and
 * {@link #managerObjects(Duration)} read the space anew on each call. Any thread of any process of the
 * space's user may call every method; none blocks longer than its file reads, except
 * {@link #managerObjects(Duration)}, which waits at most its timeout.
 */
public final class SpaceInfo {
    static {
        Bootstrap.beforeChronicle();
    }

    private final Path directory;
    private final long creatorPid;
    private final boolean creatorAlive;
    private final int dataFormat;
    private final boolean hasManager;
    private final long managerPid;
    private final boolean managerAlive;

    private SpaceInfo(Path directory, SpaceLayout.Marker marker) {
        this.directory = directory;
        this.creatorPid = marker.creatorPid();
        this.dataFormat = marker.dataFormat();
        this.creatorAlive = alive(creatorPid);
        ManagerLayout.Info info;
        try {
            info = ManagerLayout.read(directory);
        } catch (IOException | RuntimeException e) {
            info = null;
        }
        this.hasManager = info != null || Files.exists(directory.resolve(ManagerLayout.MANAGER_FILE));
        this.managerPid = info == null ? -1 : info.pid;
        this.managerAlive = alive(managerPid);
    }

    /**
     * Where {@link Space#create()} puts spaces: {@link Space#defaultParent()} and the temporary directory
     * (the same one on hosts without {@code /dev/shm}). Any thread; does not block.
     */
    public static List<Path> defaultParents() {
        List<Path> out = new ArrayList<>();
        out.add(Space.defaultParent());
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        if (!out.contains(tmp)) {
            out.add(tmp);
        }
        return List.copyOf(out);
    }

    /**
     * The spaces directly under {@code parents} (directories with a space marker), sorted by directory.
     * A parent that is missing or unreadable has none. Reads one marker and one manager file per space.
     */
    public static List<SpaceInfo> list(List<Path> parents) {
        List<SpaceInfo> out = new ArrayList<>();
        for (Path parent : parents) {
            try (Stream<Path> entries = Files.list(parent)) {
                entries.filter(Files::isDirectory).forEach(d -> {
                    SpaceLayout.Marker marker = new SpaceLayout(d).readMarker();
                    if (marker.present()) {
                        out.add(new SpaceInfo(d.toAbsolutePath().normalize(), marker));
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                // unreadable or missing parent: no spaces there
            }
        }
        out.sort(Comparator.comparing(SpaceInfo::directory));
        return List.copyOf(out);
    }

    /**
     * The space in {@code dir}. Reads its marker and manager file.
     *
     * @throws IllegalArgumentException when {@code dir} is not a directory with a space marker (it may
     *         have been removed; {@link #list(List)} finds the spaces there are)
     */
    public static SpaceInfo of(Path dir) {
        Objects.requireNonNull(dir, "dir");
        SpaceLayout.Marker marker = Files.isDirectory(dir) ? new SpaceLayout(dir).readMarker() : null;
        if (marker == null || !marker.present()) {
            throw new IllegalArgumentException("no space at " + dir + " (it may have been removed); "
                    + "SpaceInfo.list(SpaceInfo.defaultParents()) lists the spaces there are");
        }
        return new SpaceInfo(dir.toAbsolutePath().normalize(), marker);
    }

    /** The space's directory, absolute. */
    public Path directory() {
        return directory;
    }

    /** The pid of the process that created the space, or -1 when its marker does not say. */
    public long creatorPid() {
        return creatorPid;
    }

    /**
     * The data format of the build that created the space (the form of the messages and records in it):
     * 1 for a build from before the format was numbered, -1 when the marker does not say.
     */
    public int dataFormat() {
        return dataFormat;
    }

    /**
     * Whether this build can open the space: it was created by a build of this build's data format.
     * {@link Space#open(Path)} and {@link Manager#connect(String)} refuse the others with a
     * {@link SpaceFormatException}.
     */
    public boolean readableByThisBuild() {
        return dataFormat == SpaceLayout.DATA_FORMAT;
    }

    /** Whether the creator was alive when this snapshot was taken. */
    public boolean creatorAlive() {
        return creatorAlive;
    }

    /** Whether the space has (or had) a manager: it has a manager file. */
    public boolean hasManager() {
        return hasManager;
    }

    /** The manager's pid, or -1 when there is no manager, it stopped, or its file is unreadable. */
    public long managerPid() {
        return managerPid;
    }

    /** Whether the manager was alive when this snapshot was taken. */
    public boolean managerAlive() {
        return managerAlive;
    }

    /**
     * Whether nothing uses the space any more: its creator is known and was dead, and no manager was
     * alive. What {@link #removeIfAbandoned()} removes.
     */
    public boolean abandoned() {
        return creatorPid > 0 && !creatorAlive && !managerAlive;
    }

    /**
     * Bytes written in every file of the space, read now (as {@link ChannelInfo#diskBytes()}: not the
     * files' lengths): walks the whole directory tree and reads each large file backwards to its last
     * written page (holes read at memory speed).
     */
    public long diskBytes() {
        return Files2.sizeOfTree(directory);
    }

    /**
     * The space's channels, read now, sorted by directory name (manager queues, {@code q.NAME}, among
     * them). Maps each channel's 4 KiB state file for a moment and walks its directory.
     *
     * @throws UncheckedIOException when the channels directory cannot be listed
     */
    public List<ChannelInfo> channels() {
        Path dir = new SpaceLayout(directory).channelsDir();
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
                ds.forEach(d -> names.add(d.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the channels of " + directory + ": " + e.getMessage(), e);
            }
        }
        names.sort(Comparator.naturalOrder());
        List<ChannelInfo> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(ChannelInfo.read(new SpaceLayout(directory), n));
        }
        return List.copyOf(out);
    }

    /**
     * The manager queue {@code name} of the space, else its channel {@code name}, read now; empty when
     * it has neither.
     */
    public Optional<ChannelInfo> channel(String name) {
        Objects.requireNonNull(name, "name");
        SpaceLayout layout = new SpaceLayout(directory);
        for (String dirName : List.of(ManagerLayout.QUEUE_PREFIX + name, name)) {
            if (!name.isEmpty() && Files.isDirectory(layout.channelQueue(dirName))) {
                return Optional.of(ChannelInfo.read(layout, dirName));
            }
        }
        return Optional.empty();
    }

    /**
     * Asks the space's live manager for its objects (maps, lists, locks, queues, your objects...), each
     * with its type and state. Connects as a client with the token in the space's manager file, on a
     * daemon thread, and waits at most {@code timeout}: a manager that lives but does not answer cannot
     * hang the caller (the thread ends when the manager answers or dies). Costs a connection: a reply
     * channel in the space, removed again.
     *
     * @return the objects in the manager's order; empty when the space has no manager ({@link #hasManager()})
     * @throws ManagerGoneException when the manager is dead or stopped: the objects it held are gone
     * @throws TimeoutException when it did not answer within {@code timeout}
     * @throws UncheckedIOException when the manager file cannot be read
     */
    @SuppressWarnings("unchecked")
    public List<SharedObjectInfo> managerObjects(Duration timeout) throws TimeoutException {
        ManagerLayout.Info info;
        try {
            info = ManagerLayout.read(directory);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("the manager file of " + directory + " is unreadable: " + e.getMessage(),
                    e instanceof IOException ? (IOException) e : new IOException(e));
        }
        if (info == null) {
            return List.of();
        }
        if (!alive(info.pid)) {
            throw new ManagerGoneException("the manager of " + directory + " (pid " + info.pid + ") is dead");
        }
        String address = ManagerLayout.address(directory, info.token);
        CompletableFuture<List<String[]>> answer = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (ManagerClient client = ManagerClient.connect(address)) {
                answer.complete((List<String[]>) client.call(ManagerProtocol.DESCRIBE, "-"));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        }, "ipckit-describe");
        t.setDaemon(true);
        t.start();
        List<String[]> rows;
        try {
            rows = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the manager of " + directory, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new TimeoutException("the manager of " + directory + " (pid " + info.pid
                    + ") did not answer within " + timeout.toMillis() + " ms");
        }
        List<SharedObjectInfo> out = new ArrayList<>(rows.size());
        for (String[] r : rows) {
            out.add(new SharedObjectInfo(r[0], r[1], r[2]));
        }
        return List.copyOf(out);
    }

    /**
     * Removes the space's directory when it is still {@link #abandoned()}: its creator and manager are
     * checked again first, so a space that came alive since the snapshot stays.
     *
     * @return true when removed, false when something uses it
     * @throws UncheckedIOException when it cannot be removed (some files may be gone)
     */
    public boolean removeIfAbandoned() {
        if (!new SpaceInfo(directory, new SpaceLayout(directory).readMarker()).abandoned()) {
            return false;
        }
        try {
            Files2.deleteRecursively(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + directory + ": " + e.getMessage(), e);
        }
        return true;
    }

    static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpaceInfo && ((SpaceInfo) o).directory.equals(directory)
                && ((SpaceInfo) o).creatorPid == creatorPid && ((SpaceInfo) o).managerPid == managerPid
                && ((SpaceInfo) o).creatorAlive == creatorAlive && ((SpaceInfo) o).managerAlive == managerAlive
                && ((SpaceInfo) o).hasManager == hasManager;
    }

    @Override
    public int hashCode() {
        return Objects.hash(directory, creatorPid, managerPid);
    }

    @Override
    public String toString() {
        return "SpaceInfo[" + directory + ", creator " + creatorPid + (creatorAlive ? " alive" : " dead")
                + ", manager " + (hasManager ? managerPid + (managerAlive ? " alive" : " dead") : "none") + "]";
    }
}
