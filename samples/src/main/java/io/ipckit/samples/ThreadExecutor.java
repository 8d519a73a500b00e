package io.ipckit.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Seed, {@code ThreadPoolExecutor}: the three styles of the process executor samples
 * ({@code executor-futures}, {@code executor-serial}, {@code executor-callback}) on a JDK pool of three
 * threads. The output looks the same, but every task runs in this one process: the pid never changes,
 * only the thread does.
 */
public final class ThreadExecutor {
    private ThreadExecutor() {
    }

    static int task(int i, long sleepMillis) {
        System.out.println(Thread.currentThread().getName() + " (pid " + Pace.pid() + ") runs task " + i);
        Pace.sleep(sleepMillis);
        return i * i;
    }

    static void parse(Future<?> future) {
        System.out.println(((CompletableFuture<?>) future).join());
    }

    private static void shutdown(ExecutorService pool) throws InterruptedException {
        pool.shutdown();                                        // with awaitTermination: shutdown(wait=True)
        if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("tasks still running after 5 minutes");
        }
    }

    public static void main(String[] args) throws Exception {
        long sleep = Pace.ms(1_000);

        System.out.println("== style 1: collect the futures, shutdown, then read them");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            futures.add(pool.submit(() -> task(n, sleep)));
        }
        shutdown(pool);
        for (Future<Integer> f : futures) {
            System.out.println(f.get());
        }

        System.out.println("== style 2: submit and wait for each result (serial)");
        pool = Executors.newFixedThreadPool(3);
        for (int i = 0; i < 20; i++) {
            int n = i;
            System.out.println(pool.submit(() -> task(n, sleep)).get());
        }
        shutdown(pool);

        System.out.println("== style 3: done-callbacks");
        pool = Executors.newFixedThreadPool(3);
        for (int i = 0; i < 20; i++) {
            int n = i;
            CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> task(n, sleep), pool);
            f.whenComplete((r, e) -> parse(f));
        }
        shutdown(pool);
    }
}
