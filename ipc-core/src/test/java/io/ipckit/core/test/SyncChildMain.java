package io.ipckit.core.test;

import io.ipckit.core.Codec;
import io.ipckit.core.SharedBarrier;
import io.ipckit.core.SharedEvent;
import io.ipckit.core.SharedLock;
import io.ipckit.core.SharedMap;
import io.ipckit.core.SharedSemaphore;

import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for the synchronization tests: {@code <action> <base64 handle>...}, handles encoded by
 * {@link HandleChildMain#encode}. Actions:
 * <ul>
 * <li>{@code count <lock> <map>}: 200 times, under the lock, reads "n" and puts n + 1 (not atomic alone);</li>
 * <li>{@code hold <lock> <semaphore>}: takes the lock and a permit, prints HELD, sleeps (to be killed);</li>
 * <li>{@code event-wait <event>}: prints WAITING, waits up to 30 s, prints "EVENT true|false";</li>
 * <li>{@code barrier <barrier>}: prints ARRIVING, waits up to 30 s, prints "INDEX i".</li>
 * <li>{@code trylock-after-signal <lock> <go queue> <ack queue>}: for each item taken from the go queue
 *     (until -1), puts on the ack queue whether {@code tryLock()} got the lock at once (and unlocks it).</li>
 * </ul>
 */
public final class SyncChildMain {
    private SyncChildMain() {
    }

    private static Object decode(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        return Codec.defaults().decode(bytes, 0, bytes.length);
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "count": {
                SharedLock lock = (SharedLock) decode(args[1]);
                @SuppressWarnings("unchecked")
                SharedMap<String, Integer> map = (SharedMap<String, Integer>) decode(args[2]);
                for (int i = 0; i < 200; i++) {
                    lock.lock();
                    try {
                        int n = map.get("n");
                        map.put("n", n + 1);
                    } finally {
                        lock.unlock();
                    }
                }
                System.out.println("done");
                break;
            }
            case "trylock-after-signal": {
                SharedLock lock = (SharedLock) decode(args[1]);
                @SuppressWarnings("unchecked")
                io.ipckit.core.SharedQueue<Integer> go = (io.ipckit.core.SharedQueue<Integer>) decode(args[2]);
                @SuppressWarnings("unchecked")
                io.ipckit.core.SharedQueue<Boolean> ack = (io.ipckit.core.SharedQueue<Boolean>) decode(args[3]);
                while (true) {
                    Integer i = go.poll(30, TimeUnit.SECONDS);
                    if (i == null || i < 0) {
                        break;
                    }
                    boolean got = lock.tryLock();
                    if (got) {
                        lock.unlock();
                    }
                    ack.put(got);
                }
                System.out.println("done");
                break;
            }
            case "hold": {
                SharedLock lock = (SharedLock) decode(args[1]);
                SharedSemaphore semaphore = (SharedSemaphore) decode(args[2]);
                lock.lock();
                semaphore.acquire();
                System.out.println("HELD");
                System.out.flush();
                Thread.sleep(60_000);
                break;
            }
            case "event-wait": {
                SharedEvent event = (SharedEvent) decode(args[1]);
                System.out.println("WAITING");
                System.out.flush();
                System.out.println("EVENT " + event.await(30, TimeUnit.SECONDS));
                break;
            }
            case "barrier": {
                SharedBarrier barrier = (SharedBarrier) decode(args[1]);
                System.out.println("ARRIVING");
                System.out.flush();
                System.out.println("INDEX " + barrier.await(30, TimeUnit.SECONDS));
                break;
            }
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }
}
