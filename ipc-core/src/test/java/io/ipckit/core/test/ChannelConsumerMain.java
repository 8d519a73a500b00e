package io.ipckit.core.test;

import io.ipckit.core.Channel;
import io.ipckit.core.Space;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM: {@code <space dir> <channel> <out file>} takes ids until it takes {@code -1}, then writes
 * what it took, in order, to the file as longs.
 */
public final class ChannelConsumerMain {
    public static final long STOP = -1L;

    private ChannelConsumerMain() {
    }

    public static void main(String[] args) throws Exception {
        int n = 0;
        Path out = Path.of(args[2]);
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (Space space = Space.open(Path.of(args[0]));
             DataOutputStream data = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            Channel<Long> channel = space.channel(args[1]);
            while (true) {
                long id = channel.take();
                if (id == STOP) {
                    break;
                }
                data.writeLong(id);
                n++;
            }
        }
        Files.move(tmp, out);
        System.out.println("consumed " + n);
    }
}
