package io.ipckit.core.test;

import io.ipckit.core.Channel;
import io.ipckit.core.Space;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Child JVM: {@code <space dir> <channel>} puts 200 kB messages until killed; message {@code i} is filled
 * with the byte {@code (byte) i}, so a torn message shows. After each {@code put} returns it prints
 * {@code acked <i + 1>}: the number of messages the channel has acknowledged.
 */
public final class ChannelFloodMain {
    public static final int SIZE = 200_000;

    private ChannelFloodMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Space space = Space.open(Path.of(args[0]))) {
            Channel<byte[]> channel = space.channel(args[1]);
            byte[] message = new byte[SIZE];
            for (int i = 0; ; i++) {
                Arrays.fill(message, (byte) i);
                channel.put(message);
                System.out.println("acked " + (i + 1));
            }
        }
    }
}
