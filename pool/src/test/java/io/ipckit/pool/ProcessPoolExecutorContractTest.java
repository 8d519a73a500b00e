package io.ipckit.pool;

import io.ipckit.core.SerializableCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** {@link ExecutorContract} against {@link ProcessPoolExecutor}, an ExecutorService: the view is its own verbs. */
class ProcessPoolExecutorContractTest extends ExecutorContract {
    private static ProcessPoolExecutor executor;

    @BeforeAll
    static void startExecutor() throws Exception {
        executor = ready(2);
    }

    @AfterAll
    static void closeExecutor() {
        executor.close();
    }

    private static ProcessPoolExecutor ready(int workers) throws Exception {
        ProcessPoolExecutor e = TestPools.builder(workers).buildExecutor();
        try {
            return e.awaitReady(Duration.ofSeconds(50));
        } catch (Exception failure) {
            e.shutdownNow();
            throw failure;
        }
    }

    @Override
    protected Exec shared() {
        return view(executor);
    }

    @Override
    protected Exec fresh() throws Exception {
        return view(ready(1));
    }

    @Override
    protected Class<? extends RuntimeException> rejection() {
        return RejectedExecutionException.class;
    }

    @Override
    protected boolean hasInvoke() {
        return true;
    }

    private static Exec view(ProcessPoolExecutor e) {
        return new Exec() {
            @Override
            public <T> Future<T> submit(SerializableCallable<T> task) {
                return e.submit(task);
            }

            @Override
            public void shutdown() {
                e.shutdown();
            }

            @Override
            public int shutdownNow() {
                return e.shutdownNow().size();
            }

            @Override
            public boolean awaitTermination(Duration timeout) throws InterruptedException {
                return e.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public boolean isShutdown() {
                return e.isShutdown();
            }

            @Override
            public boolean isTerminated() {
                return e.isTerminated();
            }

            @Override
            public void close() {
                e.close();
            }

            @Override
            public int size() {
                return e.size();
            }

            @Override
            public <T> List<Future<T>> invokeAll(List<SerializableCallable<T>> tasks, Duration timeout)
                    throws InterruptedException {
                return e.invokeAll(new ArrayList<Callable<T>>(tasks), timeout.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public <T> T invokeAny(List<SerializableCallable<T>> tasks) throws InterruptedException, ExecutionException {
                return e.invokeAny(new ArrayList<Callable<T>>(tasks));
            }
        };
    }
}
