package io.ipckit.samples;

import io.ipckit.pool.AsyncResult;
import io.ipckit.pool.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Seed: {@code apply_async(worker, (i,), error_callback=handle_error)} where {@code worker(3)} raises:
 * the error callback gets the exception, and {@code get()} raises it again in the main process.
 */
public final class PoolErrorCallback {
    private PoolErrorCallback() {
    }

    static int worker(int num) {
        if (num == 3) {
            throw new IllegalArgumentException("simulated error for " + num);
        }
        return num * 2;
    }

    static void handleError(Throwable e) {
        System.out.println("error callback caught: " + e);
    }

    public static void main(String[] args) throws Exception {
        try (Pool pool = Pool.create(4)) {
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                results.add(pool.applyAsync(PoolErrorCallback::worker, i, null, PoolErrorCallback::handleError));
            }
            for (AsyncResult<Integer> result : results) {
                try {
                    System.out.println(result.get());
                } catch (ExecutionException e) {
                    System.out.println("main process caught: " + e.getCause());
                }
            }
        }
    }
}
