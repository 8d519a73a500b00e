package io.ipckit.core.test;

import io.ipckit.core.Channel;
import io.ipckit.core.Space;

import java.nio.file.Path;

/** Child JVM: {@code <space dir> <channel> <producer id> <count>} puts ids {@code producer<<32 | seq}. */
public final class ChannelProducerMain {
    private ChannelProducerMain() {
    }

    public static void main(String[] args) throws Exception {
        long producer = Long.parseLong(args[2]);
        int count = Integer.parseInt(args[3]);
        try (Space space = Space.open(Path.of(args[0]))) {
            Channel<Long> channel = space.channel(args[1]);
            for (int i = 0; i < count; i++) {
                channel.put((producer << 32) | i);
            }
        }
        System.out.println("produced " + count);
    }
}
