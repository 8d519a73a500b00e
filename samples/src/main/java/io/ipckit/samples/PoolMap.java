package io.ipckit.samples;

import io.ipckit.pool.AsyncResult;
import io.ipckit.pool.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Seed: {@code Pool(processes=4).map(worker, range(10))} (two-second tasks, four at a time), then
 * {@code apply}, {@code apply_async} + {@code get()}, {@code starmap}, and a pool sized to the number
 * of processors ({@code cpu_count()}).
 */
public final class PoolMap {
    private PoolMap() {
    }

    static int worker(int num, long sleepMillis) {
        System.out.println("Worker " + num + " is starting (pid " + Pace.pid() + ")");
        Pace.sleep(sleepMillis);
        System.out.println("Worker " + num + " is done");
        return num * 2;
    }

    static int add(int a, int b) {
        return a + b;
    }

    public static void main(String[] args) throws Exception {
        long sleep = Pace.ms(2_000);
        List<Integer> range10 = IntStream.range(0, 10).boxed().collect(Collectors.toList());
        try (Pool pool = Pool.create(4)) {                     // a pool of four worker processes
            List<Integer> results = pool.map(n -> worker(n, sleep), range10);
            System.out.println("Results: " + results);

            int one = pool.apply(n -> worker(n, sleep), 5);     // synchronous: waits for the result
            System.out.println("apply(worker, 5): " + one);

            List<AsyncResult<Integer>> pending = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                pending.add(pool.applyAsync(n -> worker(n, sleep), i));
            }
            System.out.println("the main process goes on");   // before the asynchronous results
            List<Integer> got = new ArrayList<>();
            for (AsyncResult<Integer> r : pending) {
                got.add(r.get());
            }
            System.out.println("Results: " + got);

            List<Integer> sums = pool.starmap(PoolMap::add, List.of(Map.entry(1, 2), Map.entry(3, 4), Map.entry(5, 6)));
            System.out.println("starmap(add, [(1, 2), (3, 4), (5, 6)]): " + sums);
        }

        int cpuCount = Runtime.getRuntime().availableProcessors();  // multiprocessing.cpu_count()
        try (Pool pool = Pool.create(cpuCount)) {
            List<Long> pids = pool.map(i -> Pace.pid(), IntStream.range(0, cpuCount).boxed().collect(Collectors.toList()));
            System.out.println("cpu_count " + cpuCount + ": a pool of " + pool.size() + " processes, pids "
                    + pool.workerPids() + " (map ran in " + pids.stream().distinct().count() + " of them)");
        }
    }
}
