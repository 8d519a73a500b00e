package io.ipckit.core.internal;

import io.ipckit.core.Channel;
import io.ipckit.core.Space;

/**
 * Pays a JVM's first-channel cost ahead of time. The first Chronicle queue a JVM opens initialises
 * several hundred of Chronicle's and Kryo's classes (measured: about half a second of CPU without a
 * class-data sharing archive); a caller that is about to wait for another JVM to boot (the manager) runs
 * {@link #firstChannel()} meanwhile, so the two costs overlap instead of adding up.
 *
 * <p>Any thread; blocks while it works; does the work once per JVM and never throws.
 */
public final class Warmup {
    private static volatile boolean done;

    private Warmup() {
    }

    /**
     * Opens a channel in a scratch space in the default place ({@link Space#create()}), puts a message and takes it back, then
     * removes the space. Does nothing after the first call, and nothing visible when anything fails (a
     * full file system, say): the real channel then pays the cost itself.
     */
    public static void firstChannel() {
        if (done) {
            return;
        }
        done = true;
        try (Space scratch = Space.create()) {
            Channel<String> c = scratch.<String>channelBuilder("warm-up").open();
            c.offer("warm-up");
            c.poll();
        } catch (RuntimeException e) {
            // nothing is lost: the first real channel pays the cost
        }
    }
}
