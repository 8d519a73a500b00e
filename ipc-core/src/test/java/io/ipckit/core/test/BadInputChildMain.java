package io.ipckit.core.test;

import io.ipckit.core.Channel;
import io.ipckit.core.Manager;
import io.ipckit.core.SerializationException;
import io.ipckit.core.SharedQueue;
import io.ipckit.core.Space;
import io.ipckit.core.SpaceFullException;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for the bad-input tests; prints one line per event.
 * <ul>
 *   <li>{@code take <space dir> <channel> <n>}: takes n messages, printing {@code TOOK <value>} or
 *       {@code FAILED <exception class>: <message>} for each.</li>
 *   <li>{@code fill-channel <parent dir>} / {@code fill-queue <parent dir>}: in a space (a manager) under
 *       parent, fills a channel (a manager queue) with 10 kB messages until the file system is full,
 *       printing {@code FULL <message>}, then drains
 *       each ({@code DRAINED <n>}) and puts a small message again ({@code SMALL OK}).</li>
 * </ul>
 */
public final class BadInputChildMain {
    private BadInputChildMain() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "take" -> take(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
            case "fill-channel" -> fillChannel(Path.of(args[1]));
            case "fill-queue" -> fillQueue(Path.of(args[1]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void take(Path dir, String name, int n) throws Exception {
        try (Space space = Space.open(dir)) {
            Channel<Object> ch = space.channel(name);
            for (int i = 0; i < n; i++) {
                try {
                    System.out.println("TOOK " + ch.poll(30, TimeUnit.SECONDS));
                } catch (SerializationException e) {
                    System.out.println("FAILED " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
    }

    private static void fillChannel(Path parent) throws Exception {
        try (Space space = Space.builder().parent(parent).create()) {
            Channel<byte[]> ch = space.channel("filling");
            fillAndDrain(ch::put, () -> ch.poll() != null, () -> ch.put(new byte[1]));
        }
    }

    private static void fillQueue(Path parent) throws Exception {
        try (Manager m = Manager.builder().parent(parent).embedded()) {
            SharedQueue<byte[]> q = m.queue("filling-queue");
            fillAndDrain(q::put, () -> q.poll() != null, () -> q.put(new byte[1]));
        }
    }

    private interface Put {
        void put(byte[] b) throws Exception;
    }

    private interface Step {
        boolean run() throws Exception;
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void fillAndDrain(Put put, Step poll, Action small) throws Exception {
        int n = 0;
        try {
            while (n < 1_000_000) {
                put.put(new byte[10_000]);
                n++;
            }
            System.out.println("NEVER FULL after " + n);
            return;
        } catch (SpaceFullException e) {
            System.out.println("FULL " + e.getMessage());
        }
        int drained = 0;
        while (poll.run()) {
            drained++;
        }
        System.out.println("DRAINED " + drained + " of " + n);
        small.run();
        System.out.println("SMALL OK");
    }
}
