package io.ipckit.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The layout of a space on disk, described here and nowhere else.
 *
 * <pre>
 * &lt;space&gt;/                  mode 0700, owned by the user who created it
 * ├── ipckit-space           marker file: "ipckit-space 1", then "creator-pid &lt;pid&gt;", then
 * │                          "data-format &lt;n&gt;" ({@link #DATA_FORMAT}); a directory without it is not a space
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
    /** Start of the marker's third line, followed by the data format the space was created with. */
    public static final String DATA_FORMAT_LINE = "data-format ";
    /**
     * The form of the bytes ipckit writes into a space, numbered: its codec's forms of the values it
     * handles itself ({@code Object[]}, JDK collections, exceptions, lambdas...), the manager's requests
     * and replies, and the journal's records. A build opens only spaces of its own number, so a durable
     * space, or a manager of another build, is refused with a clear error instead of its messages going
     * to the dead letters. Bump it in any change that alters those bytes; {@code DataFormatTest} holds
     * their golden form and fails until it is bumped.
     *
     * <p>1: every build before the number was written in the marker (a marker without the line).
     * 2: the first numbered build.
     */
    public static final int DATA_FORMAT = 2;
    /** The data format of a marker without a {@link #DATA_FORMAT_LINE}: written before formats were numbered. */
    public static final int UNNUMBERED_DATA_FORMAT = 1;
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
        Files.writeString(marker(), MARKER_CONTENT + "\n" + CREATOR_PID + ProcessHandle.current().pid() + "\n"
                + DATA_FORMAT_LINE + DATA_FORMAT + "\n", StandardCharsets.UTF_8);
    }

    /**
     * What the marker says, from one read of it.
     *
     * @param present whether the marker is there and of this layout version ({@link #MARKER_CONTENT})
     * @param creatorPid the pid of the process that created the space; -1 when the marker does not say
     * @param dataFormat the data format the space was created with: {@link #UNNUMBERED_DATA_FORMAT} when a
     *                   readable marker has no {@code data-format} line, -1 when it is absent, unreadable or
     *                   the line is not a number
     */
    public record Marker(boolean present, long creatorPid, int dataFormat) {
        static final Marker ABSENT = new Marker(false, -1, -1);
    }

    /** Reads the marker once (one small file); {@link Marker#ABSENT} when it is missing or unreadable. Any thread. */
    public Marker readMarker() {
        List<String> lines;
        try {
            lines = Files.readAllLines(marker(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return Marker.ABSENT; // no readable marker (yet, or any more)
        }
        long pid = -1;
        int format = UNNUMBERED_DATA_FORMAT;
        for (String line : lines) {
            if (line.startsWith(CREATOR_PID)) {
                pid = parse(line.substring(CREATOR_PID.length()));
            } else if (line.startsWith(DATA_FORMAT_LINE)) {
                long f = parse(line.substring(DATA_FORMAT_LINE.length()));
                format = f < 0 || f > Integer.MAX_VALUE ? -1 : (int) f;
            }
        }
        return new Marker(!lines.isEmpty() && lines.get(0).equals(MARKER_CONTENT), pid, format);
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The pid of the process that created the space ({@link #readMarker()}); -1 when the marker does not say. */
    public long creatorPid() {
        return readMarker().creatorPid();
    }

    /** True when the marker is present and of this layout version ({@link #readMarker()}). */
    public boolean hasMarker() {
        return readMarker().present();
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
