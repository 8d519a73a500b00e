package io.ipckit.samples;

import io.ipckit.pool.Pool;

/**
 * Seed: the same as {@link PoolApplyAsync} with the blocking {@code apply}: each task runs to its end
 * before the next is sent, so nothing overlaps, and "start" comes after all of them.
 */
public final class PoolApply {
    private PoolApply() {
    }

    public static void main(String[] args) throws Exception {
        long maxSleep = Pace.ms(2_000);
        Pool po = Pool.create(3);
        for (int i = 0; i < 10; i++) {
            int msg = i;
            po.apply(() -> PoolApplyAsync.worker(msg, maxSleep));   // blocks until the task is done
        }
        System.out.println("----start----");
        po.close();
        po.join();
        System.out.println("-----end-----");
    }
}
