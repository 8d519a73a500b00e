package io.ipckit.samples.bench;

import io.ipckit.core.Channel;
import io.ipckit.core.Space;
import io.ipckit.core.internal.JvmFlags;

import java.nio.file.Path;

/** The ponger of the round-trip benchmark: {@code <space dir> <count>} takes from "ping", puts to "pong". */
public final class RttChild {
    private RttChild() {
    }

    public static void main(String[] args) throws Exception {
        JvmFlags.disableChronicleAnalytics();
        int n = Integer.parseInt(args[1]);
        try (Space space = Space.open(Path.of(args[0]))) {
            Channel<Integer> ping = space.channel("ping");
            Channel<Integer> pong = space.channel("pong");
            for (int i = 0; i < n; i++) {
                pong.put(ping.take());
            }
        }
    }
}
