package io.ipckit.core.internal;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Files2#sizeOfTree}: the written part of sparse files, as Chronicle makes them. */
@Timeout(30)
class Files2Test extends LeakCheckingTest {
    @TempDir
    Path dir;

    private Path sparse(String name, long length, long... writtenAt) throws Exception {
        Path f = dir.resolve(name);
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(length);
            for (long at : writtenAt) {
                r.seek(at);
                r.write(7);
            }
        }
        return f;
    }

    @Test
    void aSparseFileCountsUpToTheEndOfItsLastWrittenPage() throws Exception {
        sparse("a.cq4", 80L << 20, 0, 10_000);
        assertEquals(12_288, Files2.sizeOfTree(dir.resolve("a.cq4")), "three pages of an 80 MiB file");
        sparse("b.cq4", 80L << 20, (80L << 20) - 1);
        assertEquals(80L << 20, Files2.sizeOfTree(dir.resolve("b.cq4")), "written up to its last byte");
        sparse("c.cq4", 80L << 20);
        assertEquals(0, Files2.sizeOfTree(dir.resolve("c.cq4")), "nothing written");
        sparse("d.cq4", (5L << 20) + 3, 5L << 20);
        assertEquals((5L << 20) + 3, Files2.sizeOfTree(dir.resolve("d.cq4")), "a length that is no page multiple");
    }

    @Test
    void smallFilesCountWhole_andATreeAddsItsFiles() throws Exception {
        Files.write(dir.resolve("small"), new byte[1000]);
        sparse("big", 10L << 20, 100_000);
        assertEquals(1000 + 102_400, Files2.sizeOfTree(dir));
        assertEquals(0, Files2.sizeOfTree(dir.resolve("missing")));
    }
}
