package io.ipckit.samples.bench;

import io.ipckit.core.internal.Bootstrap;
import io.ipckit.core.Channel;
import io.ipckit.core.Space;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;

import java.nio.file.Path;

/**
 * The child JVMs of the benchmarks: {@code <role> <dir> <warm-up count> <measured count>}. Consumers print
 * {@code READY} once they listen and {@code RESULT <nanos>} for the measured messages, timed from the
 * first measured message to the last. Roles: ipckit-producer, ipckit-consumer, raw-producer,
 * raw-consumer, idle-consumer, raw-ponger (reads {@code <dir>/ping} and appends each text to {@code <dir>/pong}).
 */
public final class BenchChild {
    private BenchChild() {
    }

    public static void main(String[] args) throws Exception {
        Bootstrap.beforeChronicle();
        String role = args[0];
        Path dir = Path.of(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int measured = Integer.parseInt(args[3]);
        switch (role) {
            case "ipckit-producer" -> ipckitProducer(dir, warmup + measured);
            case "ipckit-consumer" -> ipckitConsumer(dir, warmup, measured);
            case "raw-producer" -> rawProducer(dir, warmup + measured);
            case "raw-consumer" -> rawConsumer(dir, warmup, measured);
            case "idle-consumer" -> idleConsumer(dir);
            case "raw-ponger" -> rawPonger(dir, warmup + measured);
            default -> throw new IllegalArgumentException("unknown role " + role);
        }
    }

    private static void ipckitProducer(Path dir, int total) throws Exception {
        try (Space space = Space.open(dir)) {
            Channel<String> ch = space.channel("bench");
            for (int i = 0; i < total; i++) {
                ch.put("msg" + i);
            }
        }
    }

    private static void ipckitConsumer(Path dir, int warmup, int measured) throws Exception {
        try (Space space = Space.open(dir)) {
            Channel<String> ch = space.channel("bench");
            ready();
            for (int i = 0; i < warmup; i++) {
                ch.take();
            }
            long t0 = 0;
            for (int i = 0; i < measured; i++) {
                ch.take();
                if (i == 0) {
                    t0 = System.nanoTime();
                }
            }
            result(System.nanoTime() - t0, measured);
        }
    }

    private static void rawProducer(Path dir, int total) {
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir).build();
             ExcerptAppender appender = q.createAppender()) {
            for (int i = 0; i < total; i++) {
                appender.writeText("msg" + i);
            }
        }
    }

    private static void rawConsumer(Path dir, int warmup, int measured) {
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir).build();
             ExcerptTailer tailer = q.createTailer()) {
            ready();
            long t0 = 0;
            int got = 0;
            while (got < warmup + measured) {
                String s = tailer.readText();
                if (s == null) {
                    Thread.onSpinWait();
                    continue;
                }
                if (got == warmup) {
                    t0 = System.nanoTime();
                }
                got++;
            }
            result(System.nanoTime() - t0, measured);
        }
    }

    private static void rawPonger(Path dir, int total) {
        try (ChronicleQueue ping = ChronicleQueue.singleBuilder(dir.resolve("ping")).build();
             ChronicleQueue pong = ChronicleQueue.singleBuilder(dir.resolve("pong")).build();
             ExcerptTailer tailer = ping.createTailer();
             ExcerptAppender appender = pong.createAppender()) {
            ready();
            long giveUp = System.nanoTime() + 120_000_000_000L;
            for (int i = 0; i < total; i++) {
                String s;
                while ((s = tailer.readText()) == null) {
                    if (System.nanoTime() > giveUp) {
                        throw new IllegalStateException("raw-ponger: no ping for message " + i);
                    }
                    Thread.onSpinWait();
                }
                appender.writeText(s);
            }
        }
    }

    private static void idleConsumer(Path dir) throws Exception {
        try (Space space = Space.open(dir)) {
            Channel<String> ch = space.channel("idle");
            ready();
            ch.take();
        }
    }

    private static void ready() {
        System.out.println("READY");
        System.out.flush();
    }

    private static void result(long nanos, int measured) {
        // Timed from the first measured message to the last: measured - 1 intervals.
        System.out.println("RESULT " + nanos + " " + (measured - 1));
        System.out.flush();
    }
}
