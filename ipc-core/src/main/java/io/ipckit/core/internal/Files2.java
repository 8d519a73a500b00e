package io.ipckit.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** File helpers. */
public final class Files2 {
    private Files2() {
    }

    /**
     * Deletes {@code dir} and everything in it; nothing when it does not exist. Entries that another
     * process removes meanwhile are skipped, not reported.
     */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Bytes written in the regular files under {@code dir} (or in {@code dir} itself when it is a file); 0
     * when it does not exist. Entries removed meanwhile, or unreadable, count 0. Walks the whole tree.
     *
     * <p>A file's written part is what {@link #writtenBytes} finds, not its length: Chronicle makes each
     * cycle file tens of MiB long at once, sparse, and writes it from the start, so a channel holding a few
     * messages has an 80 MiB file of which a few KiB use memory (on a tmpfs) or disk.
     */
    public static long sizeOfTree(Path dir) {
        long[] total = {0};
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        ByteBuffer scratch = ByteBuffer.allocate(SCAN_BYTES);
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += writtenBytes(file, attrs.size(), scratch);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // the visitor swallows every failure; nothing reaches here
        }
        return total[0];
    }

    /** Files up to this long count whole; longer ones are scanned for their written part. */
    static final long SCAN_ABOVE = 1 << 20;
    private static final int SCAN_BYTES = 64 * 1024;
    private static final int PAGE = 4096;

    /**
     * The written part of {@code file} of {@code length} bytes: up to the end of its last 4 KiB page holding a
     * byte that is not 0, found by reading it backwards from its end in 64 KiB steps (a sparse file's holes
     * read as zeros at memory speed, without being allocated); its length when it is at most
     * {@link #SCAN_ABOVE}, or unreadable. Trailing zeros that were written count as unwritten (at most the
     * last message's payload, for Chronicle's files).
     */
    static long writtenBytes(Path file, long length, ByteBuffer scratch) {
        if (length <= SCAN_ABOVE) {
            return length;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = Math.min(length, ch.size());
            while (end > 0) {
                long start = Math.max(0, end - scratch.capacity());
                scratch.clear().limit((int) (end - start));
                while (scratch.hasRemaining() && ch.read(scratch, start + scratch.position()) >= 0) {
                    // a positional read may return less than asked
                }
                int i = scratch.position(); // bytes [i, position) are zeros
                while (i >= 8 && scratch.getLong(i - 8) == 0) {
                    i -= 8;
                }
                if (i < 8) {
                    while (i > 0 && scratch.get(i - 1) == 0) {
                        i--;
                    }
                }
                if (i > 0) { // the long (or byte) ending at i is not 0: within a page of its last byte
                    return Math.min(length, (start + i - 1) / PAGE * PAGE + PAGE);
                }
                end = start;
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return length;
        }
    }
}
