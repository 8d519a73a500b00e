package io.ipckit.cluster.test;

import io.ipckit.core.Manager;
import io.ipckit.core.SharedQueue;

import java.util.concurrent.TimeUnit;

/**
 * A client JVM: takes a {@link Tally} proxy from the cluster queue {@code QUEUE}, adds 10 through it and
 * prints {@code ADDED <count>}. Arguments: ADDRESS QUEUE.
 */
public final class ObjectChildMain {
    private ObjectChildMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Manager m = Manager.connect(args[0])) {
            SharedQueue<Tally> q = m.queue(args[1]);
            Tally t = q.get(30, TimeUnit.SECONDS);
            System.out.println("ADDED " + t.add(10));
        }
    }
}
