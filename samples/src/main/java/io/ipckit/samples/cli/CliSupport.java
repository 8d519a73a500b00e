package io.ipckit.samples.cli;

import io.ipckit.core.SpaceInfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What several commands share: where spaces are looked for, a SPACE argument, how pids and sizes print. */
final class CliSupport {
    private CliSupport() {
    }

    /** Where spaces are looked for: {@code --dir} when given, else {@link SpaceInfo#defaultParents()}. */
    static List<Path> parents(List<Path> dirs) {
        return dirs != null && !dirs.isEmpty() ? dirs : SpaceInfo.defaultParents();
    }

    /** A SPACE argument: a directory, or a directory name under the parents. */
    static SpaceInfo resolveSpace(String arg, List<Path> dirs) {
        Path p = Path.of(arg);
        if (!p.isAbsolute() && p.getNameCount() == 1 && !Files.isDirectory(p)) {
            for (Path parent : parents(dirs)) {
                if (Files.isDirectory(parent.resolve(arg))) {
                    p = parent.resolve(arg);
                    break;
                }
            }
        }
        try {
            return SpaceInfo.of(p);
        } catch (IllegalArgumentException e) {
            throw new IpckitCli.Gone("no space at " + arg + " (it may have been removed); 'ipckit spaces' lists them");
        }
    }

    /** Why this build cannot read {@code space}, for a space of another data format. */
    static String otherFormat(SpaceInfo space) {
        return space.dataFormat() + ", another ipckit build's: this build cannot read its messages or ask its"
                + " manager; inspect it with the build that wrote it";
    }

    /** {@code -}, or the pid with {@code (alive)} or {@code (dead)}. */
    static String pid(long pid, boolean alive) {
        return pid < 0 ? "-" : pid + (alive ? " (alive)" : " (dead)");
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        return String.format("%.1f MiB", n / (1024.0 * 1024));
    }
}
