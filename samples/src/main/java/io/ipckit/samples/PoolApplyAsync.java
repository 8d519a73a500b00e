package io.ipckit.samples;

import io.ipckit.pool.Pool;

/**
 * Seed: {@code Pool(3)}, ten {@code apply_async(worker, (i,))}, then "start", {@code close()},
 * {@code join()}, "end". Three workers run the tasks, a free one takes the next: at most three tasks
 * overlap and at most three pids appear.
 */
public final class PoolApplyAsync {
    private PoolApplyAsync() {
    }

    /** The task: prints its start with its pid, sleeps a random time below {@code maxSleepMillis}. */
    static void worker(int msg, long maxSleepMillis) {
        long start = System.nanoTime();
        System.out.println(msg + " started, pid " + Pace.pid());
        Pace.sleepRandom(maxSleepMillis);
        System.out.println(msg + " done, took " + Pace.since(start) + " s");
    }

    public static void main(String[] args) throws Exception {
        long maxSleep = Pace.ms(2_000);
        Pool po = Pool.create(3);                            // at most three worker processes
        for (int i = 0; i < 10; i++) {
            int msg = i;
            po.applyAsync(() -> worker(msg, maxSleep));       // a free worker takes the next task
        }
        System.out.println("----start----");
        po.close();                                          // no new tasks; queued ones still run
        po.join();                                           // waits for every worker (after close)
        System.out.println("-----end-----");
    }
}
