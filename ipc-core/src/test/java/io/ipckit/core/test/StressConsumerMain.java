package io.ipckit.core.test;

import io.ipckit.core.Channel;
import io.ipckit.core.Space;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM: {@code <space dir> <channel> <out file>} takes {@link StressMessages} until it takes
 * {@link StressMessages#STOP}, checks each one's checksum (exit status 3 on a corrupt one) and writes
 * the ids it took, in order, to the file as longs. Prints {@code ready} once the channel is open and
 * {@code took N} every 100 messages.
 */
public final class StressConsumerMain {
    private StressConsumerMain() {
    }

    public static void main(String[] args) throws Exception {
        long n = 0;
        Path out = Path.of(args[2]);
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (Space space = Space.open(Path.of(args[0]));
             DataOutputStream data = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            Channel<byte[]> channel = space.channel(args[1]);
            System.out.println("ready");
            while (true) {
                byte[] m = channel.take();
                if (m.length == 0) {
                    break;
                }
                long id;
                try {
                    id = StressMessages.verify(m);
                } catch (IllegalStateException corrupt) {
                    System.out.println("CORRUPT " + corrupt.getMessage());
                    System.exit(3);
                    return;
                }
                data.writeLong(id);
                if (++n % 100 == 0) {
                    System.out.println("took " + n);
                }
            }
        }
        Files.move(tmp, out);
        System.out.println("consumed " + n);
    }
}
