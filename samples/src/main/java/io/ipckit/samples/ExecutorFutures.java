package io.ipckit.samples;

import io.ipckit.pool.ProcessPoolExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Seed, {@code ProcessPoolExecutor} style 1: submit twenty one-second tasks to three worker processes,
 * keep the futures, {@code shutdown()} (waits for them all), then print each result.
 */
public final class ExecutorFutures {
    private ExecutorFutures() {
    }

    /** Python's {@code (i**2, current_process().name)}. */
    public record Result(int square, String worker) {
        @Override
        public String toString() {
            return "(" + square + ", '" + worker + "')";
        }
    }

    /** The task: prints which worker runs it, sleeps, returns the square and the worker. */
    static Result task(int i, long sleepMillis) {
        String me = "worker-" + Pace.pid();
        System.out.println("process " + me + " runs task " + i);
        Pace.sleep(sleepMillis);
        return new Result(i * i, me);
    }

    /** Python's {@code parse(future)}: prints the result of a finished future. */
    static void parse(Future<?> future) {
        System.out.println(((CompletableFuture<?>) future).join());
    }

    public static void main(String[] args) throws Exception {
        long sleep = Pace.ms(1_000);
        ProcessPoolExecutor pool = ProcessPoolExecutor.create(3);
        List<Future<Result>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            futures.add(pool.submit(() -> task(n, sleep)));     // asynchronous submit
        }
        pool.close();                                           // shutdown(wait=True): waits for every task
        for (Future<Result> future : futures) {
            System.out.println(future.get());
        }
    }
}
