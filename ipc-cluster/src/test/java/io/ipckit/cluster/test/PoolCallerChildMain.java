package io.ipckit.cluster.test;

import io.ipckit.pool.Pool;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cluster pool's caller in its own JVM, to be killed: {@code ADDRESS MARKER} builds a pool, submits a task
 * that writes {@code MARKER} on the node and sleeps {@value #TASK_MILLIS} ms, prints {@value #READY}, then
 * waits (at most 120 s) without closing anything.
 */
public final class PoolCallerChildMain {
    public static final String READY = "caller submitted";
    public static final long TASK_MILLIS = 2_000;

    private PoolCallerChildMain() {
    }

    public static void main(String[] args) throws Exception {
        String marker = args[1];
        Pool pool = Pool.builder().cluster(args[0]).name("doomed").build();
        pool.applyAsync(() -> {
            Files.writeString(Path.of(marker), "started");
            Thread.sleep(TASK_MILLIS);
            return "an outcome for a caller that is gone";
        });
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(120_000);
        System.exit(3); // the test kills it long before
    }
}
