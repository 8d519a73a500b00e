package io.ipckit.samples;

import io.ipckit.pool.ProcessPoolExecutor;

import java.util.concurrent.Future;

/**
 * Seed, {@code ProcessPoolExecutor} style 2: submit, then wait for that result before the next submit;
 * the tasks run one after another (synchronous).
 */
public final class ExecutorSerial {
    private ExecutorSerial() {
    }

    public static void main(String[] args) throws Exception {
        long sleep = Pace.ms(1_000);
        ProcessPoolExecutor pool = ProcessPoolExecutor.create(3);
        for (int i = 0; i < 20; i++) {
            int n = i;
            Future<ExecutorFutures.Result> future = pool.submit(() -> ExecutorFutures.task(n, sleep));
            System.out.println(future.get());                   // waiting here makes it serial
        }
        pool.close();
    }
}
