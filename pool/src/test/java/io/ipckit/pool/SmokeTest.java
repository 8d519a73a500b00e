package io.ipckit.pool;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest extends LeakCheckingTest {
    @Test
    void smoke() throws Exception {
        long t0 = System.nanoTime();
        try (Pool pool = Pool.builder().processes(2).workerOutput(ProcessBuilder.Redirect.appendTo(new File("target/workers.log"))).build()) {
            long t1 = System.nanoTime();
            int r = pool.apply((Integer x) -> x + 1, 41);
            long t2 = System.nanoTime();
            System.out.println("start " + (t1 - t0) / 1e6 + " ms, first " + (t2 - t1) / 1e6 + " ms");
            assertEquals(42, r);
            assertEquals(List.of(1, 4, 9), pool.map((Integer x) -> x * x, List.of(1, 2, 3)));
        }
        System.out.println("closed " + (System.nanoTime() - t0) / 1e6 + " ms");
    }
}
