package io.ipckit.samples.bench;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.posix.internal.PosixAPIHolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code RawChronicleProgram}: the anchor of {@code manager.connect}, raw Chronicle Queue's own first
 * contact. A fresh JVM builds a new queue in {@code /dev/shm}, appends one message, reads it back with a
 * tailer, and prints {@code read 42}: the least a program that talks through Chronicle does before its first
 * message arrives. Chronicle is configured as ipckit configures it in every JVM (its {@code Bootstrap}), so
 * the two pay for the same library: no analytics, no disk-space thread, no native POSIX binding.
 */
public final class RawChronicleProgram {
    private RawChronicleProgram() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        System.setProperty("chronicle.disk.monitor.disable", "true");
        PosixAPIHolder.useNoOpPosixApi();
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "raw-chronicle-anchor");
        try {
            try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(dir.toFile()).build()) {
                try (ExcerptAppender appender = q.createAppender();
                     DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().writeLong(42);
                }
                try (ExcerptTailer tailer = q.createTailer(); DocumentContext dc = tailer.readingDocument()) {
                    System.out.println("read " + dc.wire().bytes().readLong());
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
