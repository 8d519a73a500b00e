package io.ipckit.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A channel could not grow its file: the file system holding the space is full (a full {@code /dev/shm}
 * or disk), or appending would leave less free than {@link Space.Builder#minFreeBytes(long)} asks.
 * Nothing was appended; the channel stays usable (consumers drain it, and appends succeed again once
 * there is room). The message names the directory and the fix.
 */
public class SpaceFullException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    /**
     * @param message what could not be written, where, and the fix
     * @param directory the directory that could not grow
     * @param cause the file system's error, or a description of the free-space check that failed
     */
    public SpaceFullException(String message, Path directory, IOException cause) {
        super(message, cause);
        this.directory = directory;
    }

    /** The directory that could not grow (a channel's queue directory). */
    public Path directory() {
        return directory;
    }
}
