package io.ipckit.core.test;

import io.ipckit.core.Codec;
import io.ipckit.core.SharedLong;
import io.ipckit.core.SharedQueue;
import io.ipckit.core.SharedValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Child JVM using shared queues, longs and values whose handles it receives as base64 codec bytes
 * ({@link HandleChildMain#encode}). Actions:
 * <ul>
 *   <li>{@code <queue> put-letters <word>}: puts each letter of the word, as a String;</li>
 *   <li>{@code <queue> read-qsize}: takes {@code qsize()} items and prints each as {@code item <x>};</li>
 *   <li>{@code <queue> consume <out file>}: takes Integers until {@link #STOP}, then writes those it took,
 *       one per line, to the file;</li>
 *   <li>{@code <queue> take-and-wait <n>}: takes {@code n} messages, prints {@code took <n>}, then waits
 *       two minutes without marking them done (a consumer the test kills while it holds them);</li>
 *   <li>{@code <pipe end> pipe-send <text> close|exit|wait}: sends the text on the end, prints {@code sent},
 *       then closes the end and exits, exits without closing it, or waits to be killed;</li>
 *   <li>{@code <long array> array-add <double array> <n>}: {@code n} times, adds 1 to every long and 0.5
 *       to every double (atomically);</li>
 *   <li>{@code <long> count <value> <n> <m>}: {@code n} times {@code incrementAndGet} on the long, then
 *       {@code m} times {@code updateAndGet(x -> x + 1)} on the value (an Integer).</li>
 * </ul>
 */
public final class SharedObjectsChildMain {
    public static final int STOP = -1;

    private SharedObjectsChildMain() {
    }

    @SuppressWarnings("unchecked")
    private static <T> T decode(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        return (T) Codec.defaults().decode(bytes, 0, bytes.length);
    }

    public static void main(String[] args) throws Exception {
        switch (args[1]) {
            case "put-letters": {
                SharedQueue<String> q = decode(args[0]);
                for (char c : args[2].toCharArray()) {
                    q.put(String.valueOf(c));
                }
                break;
            }
            case "read-qsize": {
                SharedQueue<String> q = decode(args[0]);
                int n = q.qsize();
                for (int i = 0; i < n; i++) {
                    System.out.println("item " + q.get());
                }
                break;
            }
            case "consume": {
                SharedQueue<Integer> q = decode(args[0]);
                List<String> took = new ArrayList<>();
                while (true) {
                    int x = q.take();
                    if (x == STOP) {
                        break;
                    }
                    took.add(Integer.toString(x));
                }
                Path out = Path.of(args[2]);
                Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
                Files.write(tmp, took, StandardCharsets.UTF_8);
                Files.move(tmp, out);
                System.out.println("consumed " + took.size());
                break;
            }
            case "take-and-wait": {
                SharedQueue<Object> q = decode(args[0]);
                int n = Integer.parseInt(args[2]);
                for (int i = 0; i < n; i++) {
                    q.take();
                }
                System.out.println("took " + n);
                Thread.sleep(120_000); // holds them, never marking them done, until the test kills it
                break;
            }
            case "pipe-send": {
                io.ipckit.core.Connection end = decode(args[0]);
                end.send(args[2]);
                System.out.println("sent");
                if (args[3].equals("close")) {
                    end.close();
                } else if (args[3].equals("wait")) {
                    Thread.sleep(120_000); // until the test kills it, the end unclosed
                }
                break;
            }
            case "array-add": {
                io.ipckit.core.SharedLongArray longs = decode(args[0]);
                io.ipckit.core.SharedDoubleArray doubles = decode(args[2]);
                int n = Integer.parseInt(args[3]);
                for (int k = 0; k < n; k++) {
                    for (int i = 0; i < longs.length(); i++) {
                        longs.incrementAndGet(i);
                        doubles.addAndGet(i, 0.5);
                    }
                }
                break;
            }
            case "count": {
                SharedLong counter = decode(args[0]);
                SharedValue<Integer> value = decode(args[2]);
                int n = Integer.parseInt(args[3]);
                int m = Integer.parseInt(args[4]);
                for (int i = 0; i < n; i++) {
                    counter.incrementAndGet();
                }
                for (int i = 0; i < m; i++) {
                    value.updateAndGet(x -> x + 1);
                }
                break;
            }
            default:
                throw new IllegalArgumentException(args[1]);
        }
        System.out.println("done");
    }
}
