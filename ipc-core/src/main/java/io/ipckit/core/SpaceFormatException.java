package io.ipckit.core;

import java.nio.file.Path;

/**
 * A space was written by an ipckit build whose data format (the form of the messages, manager requests
 * and journal records in it) differs from this build's, so this build cannot read it: a durable
 * {@link Manager.Builder#directory(java.nio.file.Path) directory} kept across an upgrade, or a manager
 * of another build reached by {@link Manager#connect(String)}. Thrown by {@link Space#open(Path)} and
 * what opens a space through it, before anything in the space is read or changed: the space and every
 * message in it stay as they were. The message names the directory, both formats and the fix (take what
 * the space holds out with the build that wrote it, or remove the directory).
 */
public class SpaceFormatException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final int found;
    private final int expected;

    /**
     * @param message what could not be opened and the fix
     * @param directory the space's directory
     * @param found the data format in the space's marker
     * @param expected this build's data format
     */
    public SpaceFormatException(String message, Path directory, int found, int expected) {
        super(message);
        this.directory = directory;
        this.found = found;
        this.expected = expected;
    }

    /** The space's directory. */
    public Path directory() {
        return directory;
    }

    /** The data format the space was written in (1: a build from before the format was numbered). */
    public int found() {
        return found;
    }

    /** This build's data format. */
    public int expected() {
        return expected;
    }
}
