package io.ipckit.pool;

import io.ipckit.core.SerializableCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.concurrent.Future;

/**
 * {@link ExecutorContract} against {@link Pool}: {@code applyAsync} is submit, {@code close()} is shutdown
 * (it also waits), {@code terminate()} is shutdownNow, {@code join(timeout)} is awaitTermination; a pool
 * has no invokeAll/invokeAny and refuses tasks after close with IllegalStateException.
 */
class PoolExecutorContractTest extends ExecutorContract {
    private static Pool pool;

    @BeforeAll
    static void startPool() {
        pool = TestPools.create(2);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @Override
    protected Exec shared() {
        return view(pool);
    }

    @Override
    protected Exec fresh() {
        return view(TestPools.create(1));
    }

    @Override
    protected Class<? extends RuntimeException> rejection() {
        return IllegalStateException.class;
    }

    private static Exec view(Pool p) {
        return new Exec() {
            @Override
            public <T> Future<T> submit(SerializableCallable<T> task) {
                return p.applyAsync(task);
            }

            @Override
            public void shutdown() {
                p.close();
            }

            @Override
            public int shutdownNow() {
                p.terminate();
                return -1;
            }

            @Override
            public boolean awaitTermination(Duration timeout) throws InterruptedException {
                return p.join(timeout);
            }

            @Override
            public boolean isShutdown() {
                return !p.isRunning();
            }

            @Override
            public boolean isTerminated() {
                return p.isTerminated();
            }

            @Override
            public void close() {
                p.close();
            }

            @Override
            public int size() {
                return p.size();
            }
        };
    }
}
