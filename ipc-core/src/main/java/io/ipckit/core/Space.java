package io.ipckit.core;

import io.ipckit.core.internal.Bootstrap;
import io.ipckit.core.internal.Closer;
import io.ipckit.core.internal.Files2;
import io.ipckit.core.internal.SpaceLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A directory that holds named channels shared by processes on one host (layout in
 * {@link SpaceLayout}). By default it is created under {@code /dev/shm} (memory, when present) or the
 * temporary directory, with owner-only permissions, and removed when the space that created it closes.
 * Another process reaches it with {@link #open(Path)}.
 *
 * <p>Safe for any thread. Closing the space closes every channel handle opened through it.
 */
public final class Space implements AutoCloseable {
    static {
        Bootstrap.beforeChronicle();
    }

    private final SpaceLayout layout;
    private final Codec codec;
    private final boolean deleteOnClose;
    private final long minFreeBytes;
    private final List<Channel<?>> channels = new ArrayList<>();
    private boolean closed;

    private Space(Path dir, Codec codec, boolean deleteOnClose, long minFreeBytes) {
        this.layout = new SpaceLayout(dir);
        this.codec = codec;
        this.deleteOnClose = deleteOnClose;
        this.minFreeBytes = minFreeBytes;
    }

    /**
     * Creates a fresh space in the default location, removed on {@link #close()}. Any thread.
     *
     * @throws UncheckedIOException when the directory cannot be created
     */
    public static Space create() {
        return builder().create();
    }

    /**
     * Opens an existing space (created by another process); closing this handle does not remove it.
     *
     * @throws IllegalArgumentException when {@code dir} is not an ipckit space
     * @throws SecurityException when it belongs to another user or is open to group or others
     * @throws SpaceFormatException when another ipckit build, of another data format, wrote it
     */
    public static Space open(Path dir) {
        return builder().directory(dir).open();
    }

    /** Options for creating or opening a space. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default parent of new spaces: {@code /dev/shm} when it is a writable directory, else the temp dir. */
    public static Path defaultParent() {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** The space's directory. */
    public Path directory() {
        return layout.root();
    }

    /** The codec channels of this space use unless told otherwise. */
    public Codec codec() {
        return codec;
    }

    /**
     * Opens the channel {@code name}, creating it unbounded when absent. Any thread.
     *
     * @throws IllegalArgumentException when the name is not 1 to 100 characters of {@code [A-Za-z0-9._-]}
     * @throws ChannelClosedException when the space is closed
     */
    public <E> Channel<E> channel(String name) {
        return this.<E>channelBuilder(name).open();
    }

    /**
     * Options for opening the channel {@code name}.
     *
     * @throws IllegalArgumentException when the name is not 1 to 100 characters of {@code [A-Za-z0-9._-]}
     */
    public <E> Channel.Builder<E> channelBuilder(String name) {
        return Channel.builder(this, name);
    }

    /**
     * Free bytes that appends through this handle leave on the space's file system
     * ({@link Builder#minFreeBytes}). Any thread; does not block.
     */
    public long minFreeBytes() {
        return minFreeBytes;
    }

    /** Whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes every channel handle opened through this space and, when this space created its directory,
     * removes the directory. Failures are collected: the first is thrown with the others suppressed.
     * Idempotent.
     */
    @Override
    public void close() {
        List<Channel<?>> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(channels);
            channels.clear();
        }
        Closer closer = new Closer();
        open.forEach(closer::close);
        if (deleteOnClose) {
            closer.run("removing " + directory(), () -> deleteRecursively(directory()));
        }
        closer.rethrow();
    }

    @Override
    public String toString() {
        return "Space[" + directory() + "]";
    }

    SpaceLayout layout() {
        return layout;
    }

    <C extends Channel<?>> C register(Supplier<C> opener) {
        synchronized (this) {
            if (closed) {
                throw new ChannelClosedException("space " + directory() + " is closed; open it again with Space.open");
            }
        }
        C c = opener.get();
        boolean late;
        synchronized (this) {
            late = closed;
            if (!late) {
                channels.add(c);
            }
        }
        if (late) {
            c.close();
            throw new ChannelClosedException("space " + directory() + " was closed while opening " + c.name());
        }
        return c;
    }

    synchronized void forget(Channel<?> c) {
        channels.remove(c);
    }

    private static void deleteRecursively(Path dir) {
        try {
            Files2.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove space " + dir + ": " + e, e);
        }
    }

    /** Options of a space. Not thread-safe. */
    public static final class Builder {
        private Path directory;
        private Path parent;
        private Codec codec = Codec.defaults();
        private Boolean deleteOnClose;
        private long minFreeBytes;

        private Builder() {
        }

        /**
         * Appends through this handle's channels fail with {@link SpaceFullException} rather than leave
         * fewer than {@code bytes} free on the space's file system (default 0: only a full file system
         * refuses them). Checked each time a channel's file grows by a window of 256 KiB and when a new
         * roll-cycle file starts, so it bounds use to within about that much per channel.
         *
         * @throws IllegalArgumentException when {@code bytes} is negative
         */
        public Builder minFreeBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("minFreeBytes must be at least 0, was " + bytes);
            }
            this.minFreeBytes = bytes;
            return this;
        }

        /** The exact directory of the space (for {@link #open()}, or {@link #create()} of a named one). */
        public Builder directory(Path dir) {
            this.directory = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
            return this;
        }

        /** Where {@link #create()} makes a fresh directory (default {@link Space#defaultParent()}). */
        public Builder parent(Path dir) {
            this.parent = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
            return this;
        }

        /** The codec of the space's channels (default {@link Codec#defaults()}). */
        public Builder codec(Codec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * Whether closing the space removes its directory (default: yes for a space this process created,
         * no for one it opened).
         */
        public Builder deleteOnClose(boolean value) {
            this.deleteOnClose = value;
            return this;
        }

        /**
         * Creates a new space: in {@link #directory(Path)} when given (which must not exist or be empty),
         * else in a fresh directory under {@link #parent(Path)}.
         *
         * @throws IllegalStateException when both directory and parent are set
         * @throws IllegalArgumentException when the directory exists and is not empty
         * @throws UncheckedIOException when it cannot be created
         */
        public Space create() {
            if (directory != null && parent != null) {
                throw new IllegalStateException("set either directory(" + directory + ") or parent(" + parent
                        + "), not both");
            }
            try {
                Path dir;
                if (directory != null) {
                    SpaceLayout.createDirectories(directory);
                    try (Stream<Path> entries = Files.list(directory)) {
                        if (entries.findAny().isPresent()) {
                            throw new IllegalArgumentException("cannot create a space in " + directory
                                    + ": the directory is not empty; use Space.open for an existing space");
                        }
                    }
                    dir = directory;
                } else {
                    Path where = parent != null ? parent : defaultParent();
                    Files.createDirectories(where);
                    dir = Files.createTempDirectory(where, SpaceLayout.DEFAULT_PREFIX, SpaceLayout.ownerOnly(where));
                }
                SpaceLayout layout = new SpaceLayout(dir);
                layout.writeMarker();
                SpaceLayout.createDirectories(layout.channelsDir());
                return new Space(dir, codec, deleteOnClose == null || deleteOnClose, minFreeBytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a space: " + e, e);
            }
        }

        /**
         * Opens the existing space in {@link #directory(Path)}.
         *
         * @throws IllegalStateException when no directory was set, or parent was
         * @throws IllegalArgumentException when the directory is not an ipckit space
         * @throws SecurityException when it belongs to another user or is open to group or others
         * @throws SpaceFormatException when another ipckit build, of another data format, wrote it (nothing
         *         in the space was read or changed)
         */
        public Space open() {
            if (directory == null || parent != null) {
                throw new IllegalStateException("Space.builder().open() needs directory(...) and no parent(...)");
            }
            SpaceLayout layout = new SpaceLayout(directory);
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException("no space at " + directory + ": the directory does not exist");
            }
            SpaceLayout.Marker marker = layout.readMarker();
            if (!marker.present()) {
                throw new IllegalArgumentException(directory + " is not an ipckit space (no "
                        + SpaceLayout.MARKER + " marker); create one with Space.builder().directory(dir).create()");
            }
            checkOwnerOnly(directory);
            checkDataFormat(layout, marker.dataFormat());
            return new Space(directory, codec, deleteOnClose != null && deleteOnClose, minFreeBytes);
        }

        private static void checkDataFormat(SpaceLayout layout, int found) {
            if (found == SpaceLayout.DATA_FORMAT) {
                return;
            }
            String which = found == SpaceLayout.UNNUMBERED_DATA_FORMAT
                    ? "data format 1 (a build from before the format was numbered)"
                    : found < 0 ? "an unreadable data format" : "data format " + found;
            throw new SpaceFormatException("the space " + layout.root() + " was written by an ipckit build of "
                    + which + "; this build reads data format " + SpaceLayout.DATA_FORMAT + " only. Take what it"
                    + " holds out with the build that wrote it (or connect to its manager with that build), or"
                    + " remove the directory to start afresh; nothing in it was read or changed",
                    layout.root(), found, SpaceLayout.DATA_FORMAT);
        }

        private static void checkOwnerOnly(Path dir) {
            if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return;
            }
            try {
                PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class);
                String me = System.getProperty("user.name");
                if (!attrs.owner().getName().equals(me)) {
                    throw new SecurityException("space " + dir + " belongs to " + attrs.owner().getName()
                            + ", not to " + me + "; open only spaces you created");
                }
                Set<PosixFilePermission> perms = attrs.permissions();
                for (PosixFilePermission p : perms) {
                    if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                        throw new SecurityException("space " + dir + " is open to other users ("
                                + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                                + "); make it owner-only with chmod 700 " + dir);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the permissions of " + dir, e);
            }
        }
    }
}
