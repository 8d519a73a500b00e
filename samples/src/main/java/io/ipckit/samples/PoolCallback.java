package io.ipckit.samples;

import io.ipckit.pool.Pool;

/**
 * Seed: {@code apply_async(func1, (i,), callback=log)}: when a task returns, the callback gets its
 * return value; it runs in this process, on the pool's result thread.
 */
public final class PoolCallback {
    private PoolCallback() {
    }

    static String func1(int i, long sleepMillis) {
        Pace.sleep(sleepMillis);
        System.out.println("run in process: " + Pace.pid() + " (task " + i + ")");
        return "filename-" + i;
    }

    static void log(String arg) {                            // its argument is func1's return value
        System.out.println("log done: " + arg + " (callback in pid " + Pace.pid() + ")");
    }

    public static void main(String[] args) throws Exception {
        long sleep = Pace.ms(1_000);
        System.out.println("main process " + Pace.pid());
        Pool pool = Pool.create(5);
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            int n = i;
            pool.applyAsync(() -> func1(n, sleep), PoolCallback::log, null);
        }
        pool.close();
        pool.join();
        System.out.println("main run done, spend_time: " + Pace.since(start) + " s");
    }
}
