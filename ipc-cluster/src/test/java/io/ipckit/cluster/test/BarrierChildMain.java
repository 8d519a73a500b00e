package io.ipckit.cluster.test;

import io.ipckit.core.Manager;
import io.ipckit.core.SharedBarrier;

/**
 * Child JVM, a cluster client: {@code ADDRESS NAME PARTIES}; arrives at the barrier, prints {@code ARRIVED}
 * and waits there (to be killed).
 */
public final class BarrierChildMain {
    private BarrierChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Manager m = Manager.connect(args[0]);
        SharedBarrier b = m.barrier(args[1], Integer.parseInt(args[2]));
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
