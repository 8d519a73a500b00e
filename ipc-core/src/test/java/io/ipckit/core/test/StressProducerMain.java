package io.ipckit.core.test;

import io.ipckit.core.Channel;
import io.ipckit.core.Space;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Child JVM: {@code <space dir> <channel> <producer id> <count> <max payload>} puts {@code count}
 * {@link StressMessages} with sequence numbers 0, 1, ... in order.
 */
public final class StressProducerMain {
    private StressProducerMain() {
    }

    public static void main(String[] args) throws Exception {
        int producer = Integer.parseInt(args[2]);
        long count = Long.parseLong(args[3]);
        int maxPayload = Integer.parseInt(args[4]);
        SplittableRandom random = new SplittableRandom(producer * 7919L + System.nanoTime());
        try (Space space = Space.open(Path.of(args[0]))) {
            Channel<byte[]> channel = space.channel(args[1]);
            for (long i = 0; i < count; i++) {
                channel.put(StressMessages.make(producer, i, maxPayload, random));
            }
        }
        System.out.println("produced " + count);
    }
}
