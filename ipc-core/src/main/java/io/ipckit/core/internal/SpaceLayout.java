package io.ipckit.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The layout of a space on disk, described here and nowhere else.
 *
 * <pre>
 * &lt;space&gt;/                  mode 0700, owned by the user who created it
 * ├── ipckit-space           marker file: "ipckit-space 1", then "creator-pid &lt;pid&gt;"; a directory
 * │                          without it is not a space
 * └── channels/
 *     └── &lt;name&gt;/            one per channel; name checked by {@link Names}
 *         ├── state          mapped counters, see {@link io.ipckit.core.internal.channel.ChannelState}
 *         ├── queue/         the Chronicle queue: one &lt;cycle&gt;.cq4 file per roll cycle + metadata.cq4t
 *         └── dead-letter/   a Chronicle queue of excerpts that were claimed but could not be decoded
 * </pre>
 */
public final class SpaceLayout {
    /** Name of the marker file. */
    public static final String MARKER = "ipckit-space";
    /** Content of the marker file's first line. */
    public static final String MARKER_CONTENT = "ipckit-space 1";
    /** Start of the marker's second line, followed by the pid of the process that created the space. */
    public static final String CREATOR_PID = "creator-pid ";
    /** Prefix of the directories {@code Space.create()} makes. */
    public static final String DEFAULT_PREFIX = "ipckit-";

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path root;

    public SpaceLayout(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path marker() {
        return root.resolve(MARKER);
    }

    public Path channelsDir() {
        return root.resolve("channels");
    }

    public Path channelDir(String name) {
        return channelsDir().resolve(name);
    }

    public Path channelState(String name) {
        return channelDir(name).resolve("state");
    }

    /** A queue's consumer table ({@link io.ipckit.core.internal.channel.ConsumerTable}). */
    public Path channelConsumers(String name) {
        return channelDir(name).resolve("consumers");
    }

    public Path channelQueue(String name) {
        return channelDir(name).resolve("queue");
    }

    public Path channelDeadLetter(String name) {
        return channelDir(name).resolve("dead-letter");
    }

    /** Owner-only permissions for new directories, where the file system supports POSIX permissions. */
    public static FileAttribute<?>[] ownerOnly(Path where) {
        if (where.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
        }
        return new FileAttribute<?>[0];
    }

    /** Creates the marker in a fresh space directory. */
    public void writeMarker() throws IOException {
        Files.writeString(marker(), MARKER_CONTENT + "\n" + CREATOR_PID + ProcessHandle.current().pid() + "\n",
                StandardCharsets.UTF_8);
    }

    /**
     * The pid of the process that created the space, from the marker's {@code creator-pid} line; -1 when
     * the marker is absent, unreadable or has no such line. Reads one small file; any thread.
     */
    public long creatorPid() {
        try {
            for (String line : Files.readAllLines(marker(), StandardCharsets.UTF_8)) {
                if (line.startsWith(CREATOR_PID)) {
                    return Long.parseLong(line.substring(CREATOR_PID.length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no readable marker (yet, or any more)
        }
        return -1;
    }

    /** True when the marker is present and of this layout version. */
    public boolean hasMarker() {
        try {
            return Files.isRegularFile(marker())
                    && Files.readAllLines(marker(), StandardCharsets.UTF_8).get(0).equals(MARKER_CONTENT);
        } catch (IOException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    /** Creates {@code dir} and its parents when absent, owner-only. */
    public static void createDirectories(Path dir) throws IOException {
        try {
            Files.createDirectories(dir, ownerOnly(dir));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }
}
