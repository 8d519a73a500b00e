package io.ipckit.samples;

import io.ipckit.pool.ProcessPoolExecutor;

import java.util.concurrent.CompletableFuture;

/**
 * Seed, {@code ProcessPoolExecutor} style 3: {@code future.add_done_callback(parse)}: each result is
 * printed as soon as its task is done, while the others still run.
 */
public final class ExecutorCallback {
    private ExecutorCallback() {
    }

    public static void main(String[] args) throws Exception {
        long sleep = Pace.ms(1_000);
        ProcessPoolExecutor pool = ProcessPoolExecutor.create(3);
        for (int i = 0; i < 20; i++) {
            int n = i;
            CompletableFuture<ExecutorFutures.Result> future = pool.submit(() -> ExecutorFutures.task(n, sleep));
            future.whenComplete((r, e) -> ExecutorFutures.parse(future));   // add_done_callback(parse)
        }
        pool.close();                                           // shutdown(wait=True)
    }
}
