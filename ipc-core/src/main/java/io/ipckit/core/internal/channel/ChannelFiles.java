package io.ipckit.core.internal.channel;

import io.ipckit.core.internal.Bootstrap;
import io.ipckit.core.internal.JvmFlags;
import io.ipckit.core.internal.Uninterruptible;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Opens the Chronicle queues of a channel and deletes the roll-cycle files every consumer has passed
 * (Chronicle never deletes them itself).
 */
public final class ChannelFiles {
    static {
        Bootstrap.beforeChronicle();
    }

    private static final String SUFFIX = ".cq4";
    private static final long MIN_BLOCK_SIZE = 64L << 20;
    /**
     * How long an appender waits for Chronicle's write lock before checking its holder: a producer killed
     * mid-append (kill -9) leaves the lock held, and Chronicle then takes it over from the dead process.
     * So a dead producer stalls the others for about this long (Chronicle's default: 15 s).
     */
    static final long WRITE_LOCK_TIMEOUT_MS = 2_000;

    private ChannelFiles() {
    }

    /**
     * Opens (creating when absent) the Chronicle queue in {@code dir}. Does not depend on the caller's
     * interrupt flag ({@link Uninterruptible}).
     */
    public static SingleChronicleQueue open(Path dir, RollCycle rollCycle, int maxMessageBytes) {
        return open(dir, rollCycle, maxMessageBytes, null);
    }

    /**
     * As {@link #open(Path, RollCycle, int)}, with {@code guard}'s clock ({@link DiskGuard#clock}) as the
     * queue's, so that appends start no cycle file without the guard's room check; {@code null}: the
     * system clock.
     */
    public static SingleChronicleQueue open(Path dir, RollCycle rollCycle, int maxMessageBytes, DiskGuard guard) {
        if (!JvmFlags.presentInThisJvm()) {
            throw new IllegalStateException("this JVM lacks the flags Chronicle Queue needs on Java 17+; start it with "
                    + String.join(" ", JvmFlags.flags()) + " (JvmLauncher adds them to child JVMs)");
        }
        long blockSize = MIN_BLOCK_SIZE;
        while (blockSize < 4L * (maxMessageBytes + ExcerptLayout.HEADER)) {
            blockSize <<= 1;
        }
        long size = blockSize;
        return Uninterruptible.get(() -> {
            SingleChronicleQueueBuilder builder = ChronicleQueue.singleBuilder(dir)
                    .rollCycle(rollCycle)
                    .blockSize(size)
                    .timeoutMS(WRITE_LOCK_TIMEOUT_MS);
            DiskGuard.Clock clock = guard == null ? null : guard.clock(rollCycle);
            if (clock != null) {
                builder.timeProvider(clock);
            }
            SingleChronicleQueue queue = builder.build();
            if (clock != null) {
                clock.epoch(queue.epoch());
            }
            return queue;
        });
    }

    /** The file name Chronicle gives to {@code cycle} under {@code rollCycle}, without the suffix. */
    static String cycleFileName(RollCycle rollCycle, int cycle) {
        long millis = (long) cycle * rollCycle.lengthInMillis() + rollCycle.defaultEpoch();
        return DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(millis));
    }

    /**
     * Deletes the roll-cycle files of cycles before {@code cycle}. Safe while other processes still map
     * them (the memory stays valid until unmapped), and when the queue's directory is gone (nothing to do).
     *
     * @return how many files were deleted
     */
    public static int deleteCyclesBefore(SingleChronicleQueue queue, int cycle) {
        String keepFrom = cycleFileName(queue.rollCycle(), cycle);
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(queue.file().toPath(), "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String stem = name.substring(0, name.length() - SUFFIX.length());
                if (stem.length() == keepFrom.length() && stem.compareTo(keepFrom) < 0 && Files.deleteIfExists(f)) {
                    deleted++;
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return 0; // the channel was removed (a manager removes a client's reply channel at shutdown)
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete old roll-cycle files of " + queue.file(), e);
        }
        if (deleted > 0) {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }

    /** Bytes used by the queue's files. */
    public static long diskUsage(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                total += Files.isRegularFile(f) ? Files.size(f) : 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }
}
