package io.ipckit.samples;

import io.ipckit.pool.Pool;

/**
 * Seed: {@code Pool(5)}, ten one-second tasks, first with the blocking {@code apply} (one after the
 * other: about ten seconds), then with {@code apply_async} (five at a time: about two seconds).
 */
public final class PoolSerialVsParallel {
    private PoolSerialVsParallel() {
    }

    static void func1(int i, long sleepMillis) {
        Pace.sleep(sleepMillis);
        System.out.println("run in process: " + Pace.pid() + " (task " + i + ")");
    }

    public static void main(String[] args) throws Exception {
        long sleep = Pace.ms(1_000);
        Pool pool = Pool.create(5);
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            int n = i;
            pool.apply(() -> func1(n, sleep));              // serial: sends the next when this one is done
        }
        System.out.println("serial (apply) run done, spend_time: " + Pace.since(start) + " s");

        start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            int n = i;
            pool.applyAsync(() -> func1(n, sleep));         // parallel: five run at once
        }
        pool.close();                                        // close, then wait for the workers
        pool.join();
        System.out.println("parallel (applyAsync) run done, spend_time: " + Pace.since(start) + " s");
    }
}
