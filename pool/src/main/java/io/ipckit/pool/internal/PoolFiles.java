package io.ipckit.pool.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Names of a pool's channels and files in its space. */
public final class PoolFiles {
    /** The channel all workers take tasks from. */
    public static final String TASKS = "pool-tasks";
    /** The channel workers put outcomes on; the caller's result thread is its only reader. */
    public static final String RESULTS = "pool-results";

    private PoolFiles() {
    }

    /** The {@link WorkerSlots} file. */
    public static Path slots(Path spaceDir) {
        return spaceDir.resolve("pool-workers.slots");
    }

    /** The encoded initializer, absent when the pool has none. */
    public static Path initializer(Path spaceDir) {
        return spaceDir.resolve("pool-initializer.bin");
    }

    /**
     * Removes a directory tree, tolerating others removing it at the same time (ipc-core's one recursive
     * delete, tried up to three times: a file another process creates meanwhile makes a pass fail).
     */
    public static void deleteQuietly(Path dir) {
        for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
            try {
                io.ipckit.core.internal.Files2.deleteRecursively(dir);
            } catch (IOException e) {
                // another process removes it too, or a file appeared meanwhile: try again
            }
        }
    }
}
