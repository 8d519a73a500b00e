package io.ipckit.samples;

import io.ipckit.pool.Pool;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Seed: a CPU-bound task ({@code sum(i * n for i in range(10**6))}) mapped over {@code range(10)} on
 * {@code Pool(processes=4)}; each worker computes on its own core.
 */
public final class PoolCpu {
    private PoolCpu() {
    }

    static long cpuIntensiveTask(int n) {
        long total = 0;
        for (int i = 0; i < 1_000_000; i++) {
            total += (long) i * n;
        }
        return total;
    }

    public static void main(String[] args) throws Exception {
        try (Pool pool = Pool.create(4)) {
            long start = System.nanoTime();
            List<Long> results = pool.map(PoolCpu::cpuIntensiveTask,
                    IntStream.range(0, 10).boxed().collect(Collectors.toList()));
            System.out.println(results);
            System.out.println("map took " + Pace.since(start) + " s on " + pool.size() + " workers");
        }
    }
}
