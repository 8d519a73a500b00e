package io.ipckit.cluster.test;

import io.ipckit.core.Manager;
import io.ipckit.core.SharedBarrier;

/**
 * Child JVM, a cluster client: {@code ADDRESS NAME PARTIES [action]}; arrives at the barrier, prints
 * {@code ARRIVED} and waits there (to be killed). With {@code action}, it opens the barrier as one with an
 * action (the existing one's is kept, so it runs whatever action the barrier's creator gave), prints
 * {@code READY} and arrives only once the other parties wait: it trips the barrier, and runs its action.
 */
public final class BarrierChildMain {
    private BarrierChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Manager m = Manager.connect(args[0]);
        SharedBarrier b = args.length > 3
                ? m.barrier(args[1], Integer.parseInt(args[2]), () -> { }, null)
                : m.barrier(args[1], Integer.parseInt(args[2]));
        if (args.length > 3) {
            System.out.println("READY");
            System.out.flush();
            while (b.getNumberWaiting() < b.getParties() - 1) {
                Thread.sleep(20);
            }
        }
        new Thread(() -> {
            try {
                while (b.getNumberWaiting() == 0) {
                    Thread.sleep(20);
                }
                System.out.println("ARRIVED");
                System.out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).start();
        b.await();
    }
}
