package io.ipckit.pool;

import io.ipckit.core.Codec;
import io.ipckit.core.MessageTooLargeException;
import io.ipckit.core.SerializationException;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.RuntimeClasses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input on the pool and the executor: a class missing on one side, a result over the size limit,
 * invalid pool names, use after close (each pool test ends with it). Each gets a specific exception naming the pool or class and the
 * fix, and the pool goes on. (Unencodable tasks, results and over-size arguments: PoolTest;
 * unencodable callables: ProcessPoolExecutorTest.)
 */
@Timeout(90)
class PoolBadInputTest extends LeakCheckingTest {
    /** The names ipc-core's BadInputTest uses on every object kind. */
    private static final List<String> BAD_NAMES = List.of("", ".", "..", "a/b", "../etc", "a\\b", "x\u0000y",
            "bell\u0007", "new\nline", "x".repeat(10_000));

    @TempDir
    Path work;

    /** One pool for the three cases of apply, as worker JVMs take seconds to start on a loaded machine. */
    @Test
    void apply_classMissingInWorkerOrCallerOrResultTooLarge_failsNamingClassAndFix_poolGoesOn() throws Exception {
        Path classes = RuntimeClasses.compileSecret(work);
        try (URLClassLoader loader = RuntimeClasses.loader(classes); Pool pool = TestPools.builder(1).name("picky").build()) {
            // an argument whose class the worker does not have
            Object secret = RuntimeClasses.newSecret(loader, "hidden");
            SerializationException e = assertThrows(SerializationException.class, () -> pool.apply(Object::toString, secret));
            assertTrue(e.getMessage().contains(RuntimeClasses.SECRET) && e.getMessage().contains("classpath"), e.getMessage());
            assertEquals(7, (int) pool.apply((Integer x) -> x + 1, 6));

            // a result whose class the caller does not have
            String dir = classes.toString();
            e = assertThrows(SerializationException.class, () -> pool.apply(PoolBadInputTest::secretFrom, dir));
            assertTrue(e.getMessage().contains(RuntimeClasses.SECRET) && e.getMessage().contains("classpath"), e.getMessage());
            assertEquals(List.of(2, 3), pool.map((Integer x) -> x + 1, List.of(1, 2)));

            // a result over the size limit
            int size = Codec.DEFAULT_MAX_MESSAGE_BYTES + 1;
            MessageTooLargeException tooLarge = assertThrows(MessageTooLargeException.class,
                    () -> pool.apply((Integer n) -> new byte[n], size));
            assertTrue(tooLarge.getMessage().contains("maxMessageBytes"), tooLarge.getMessage());
            assertEquals(10, pool.apply((Integer n) -> new byte[n], 10).length);

            // use after close
            pool.close();
            for (Runnable call : List.<Runnable>of(() -> pool.applyAsync(() -> 1),
                    () -> pool.mapAsync((Integer x) -> x, List.of(1)), () -> pool.imap((Integer x) -> x, List.of(1)))) {
                IllegalStateException closed = assertThrows(IllegalStateException.class, call::run);
                assertTrue(closed.getMessage().contains("picky") && closed.getMessage().contains("not running"),
                        closed.getMessage());
            }
        }
    }

    /** Runs in a worker: loads the class from a directory only the worker is told about. */
    static Object secretFrom(String dir) {
        try {
            return RuntimeClasses.newSecret(RuntimeClasses.loader(Path.of(dir)), "from the worker");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void submit_argumentClassMissingInWorker_futureFailsNamingClass_executorGoesOn_thenRefusesAfterClose() throws Exception {
        Path classes = RuntimeClasses.compileSecret(work);
        try (URLClassLoader loader = RuntimeClasses.loader(classes);
             ProcessPoolExecutor ex = TestPools.builder(1).name("exec-secretive").buildExecutor()) {
            Object secret = RuntimeClasses.newSecret(loader, "hidden");
            CompletableFuture<String> f = ex.submit(() -> secret.toString());
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
            assertInstanceOf(SerializationException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains(RuntimeClasses.SECRET), e.getCause().getMessage());
            assertEquals(3, (int) ex.submit(() -> 3).get(60, TimeUnit.SECONDS));

            ex.close();
            RejectedExecutionException closed = assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 1));
            assertTrue(closed.getMessage().contains("exec-secretive") && closed.getMessage().contains("shut down"),
                    closed.getMessage());
        }
    }

    @Test
    void builder_invalidPoolName_isRefusedNamingItAndTheRule() {
        for (String bad : BAD_NAMES) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pool.builder().name(bad),
                    bad.length() + " chars");
            assertTrue(e.getMessage().contains("[A-Za-z0-9._-]"), e.getMessage());
            assertTrue(e.getMessage().contains("pool"), e.getMessage());
            assertTrue(e.getMessage().length() < 400, "a long name is cut: " + e.getMessage().length());
        }
        assertThrows(IllegalArgumentException.class, () -> Pool.builder().name(null));
        Pool.builder().name("ok.name-1"); // a valid name passes
    }
}
