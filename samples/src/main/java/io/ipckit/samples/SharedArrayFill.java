package io.ipckit.samples;

import io.ipckit.core.SharedDoubleArray;
import io.ipckit.pool.Pool;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code multiprocessing.Array('d', n)} filled by a pool: one array of a million doubles in shared
 * memory, four workers each fill a quarter of it in place ({@code a[i] = sqrt(i)}), with no copy and no
 * manager; the caller then reads the whole array and checks it.
 */
public final class SharedArrayFill {
    static final int N = 1_000_000;

    private SharedArrayFill() {
    }

    /** Fills {@code [from, to)} of {@code a} and returns the worker's pid. */
    static long fill(SharedDoubleArray a, int from, int to) {
        for (int i = from; i < to; i++) {
            a.set(i, Math.sqrt(i));
        }
        return ProcessHandle.current().pid();
    }

    public static void main(String[] args) throws Exception {
        SharedDoubleArray a = SharedDoubleArray.create("fill-" + ProcessHandle.current().pid(), N);
        try (Pool pool = Pool.create(4)) {
            pool.awaitReady(java.time.Duration.ofSeconds(60)); // all four up, so that each takes a slice
            List<java.util.Map.Entry<Integer, Integer>> slices = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                slices.add(java.util.Map.entry(k * N / 4, (k + 1) * N / 4));
            }
            long start = System.nanoTime();
            List<Long> pids = pool.starmap((Integer from, Integer to) -> fill(a, from, to), slices);
            System.out.println("4 slices filled by workers " + new java.util.TreeSet<>(pids) + " in "
                    + Pace.since(start) + " s");
            double sum = 0;
            for (int i = 0; i < N; i++) {
                if (a.get(i) != Math.sqrt(i)) {
                    throw new IllegalStateException("a[" + i + "] = " + a.get(i));
                }
                sum += a.get(i);
            }
            System.out.printf("all %d elements are sqrt(i); their sum is %.1f%n", N, sum);
        } finally {
            a.memory().unlink();
        }
    }
}
