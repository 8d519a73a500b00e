package io.ipckit.pool;

import java.io.File;
import java.time.Duration;

/** Pools for tests: small, worker output appended to target/pool-workers.log. */
final class TestPools {
    static final File WORKER_LOG = new File("target/pool-workers.log");

    private TestPools() {
    }

    static Pool.Builder builder(int processes) {
        return Pool.builder().processes(processes).workerOutput(ProcessBuilder.Redirect.appendTo(WORKER_LOG))
                .startupTimeout(Duration.ofSeconds(50));
    }

    /** A pool with every worker ready: for tests that count workers or kill one of them. */
    static Pool create(int processes) {
        Pool pool = builder(processes).build();
        try {
            return pool.awaitReady(Duration.ofSeconds(50));
        } catch (Exception e) {
            pool.terminate();
            throw new IllegalStateException("test pool of " + processes + " did not start", e);
        }
    }
}
