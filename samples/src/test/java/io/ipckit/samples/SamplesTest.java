package io.ipckit.samples;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every seed sample, run as a user runs it (its own JVM, fast sleeps), checked for the shape of its output. */
@Timeout(60)
class SamplesTest extends LeakCheckingTest {
    private static final List<String> TEN = IntStream.range(0, 10).mapToObj(String::valueOf).collect(Collectors.toList());

    @TempDir
    Path dir;

    @Test
    void poolApplyAsync_tenTasks_atMostThreeWorkersOverlap() throws Exception {
        SampleRun out = SampleRun.atSeedPace(PoolApplyAsync.class, dir, 60);
        List<String> started = out.group("(\\d+) started, pid \\d+");
        assertEquals(Set.copyOf(TEN), Set.copyOf(started), out.text);
        assertEquals(10, started.size(), out.text);
        Set<String> pids = Set.copyOf(out.group("\\d+ started, pid (\\d+)"));
        assertTrue(pids.size() >= 1 && pids.size() <= 3, "pids " + pids + "\n" + out);
        for (String i : TEN) {
            int s = out.indexOf(i + " started, pid \\d+");
            int d = out.indexOf(i + " done, took \\d+\\.\\d\\d s");
            assertTrue(s >= 0 && d > s, "task " + i + " start/done\n" + out);
        }
        int overlap = out.maxOverlap("\\d+ started, pid \\d+", "\\d+ done, took .*");
        assertTrue(overlap >= 2 && overlap <= 3, "overlap " + overlap + "\n" + out);
        assertEquals(1, out.matching("----start----").size(), out.text);
        assertEquals("-----end-----", out.lines.get(out.lines.size() - 1), out.text);
    }

    @Test
    void poolApply_tenTasks_runOneAfterAnotherBeforeStart() throws Exception {
        SampleRun out = SampleRun.of(PoolApply.class, dir, 50);
        assertEquals(TEN, out.group("(\\d+) started, pid \\d+"), out.text);
        assertEquals(1, out.maxOverlap("\\d+ started, pid \\d+", "\\d+ done, took .*"), out.text);
        assertTrue(out.indexOf("----start----") > out.indexOf("9 done, took .*"), out.text);
        assertTrue(Set.copyOf(out.group("\\d+ started, pid (\\d+)")).size() <= 3, out.text);
        assertEquals("-----end-----", out.lines.get(out.lines.size() - 1), out.text);
    }

    @Test
    @Timeout(90)
    void processBasic_tenChildren_printTheirPidAndTheMainPid() throws Exception {
        SampleRun out = SampleRun.of(ProcessBasic.class, dir, 80);
        String main = out.group("main process (\\d+)").get(0);
        List<String> pids = out.group("hello bob run in (\\d+) ppid: " + main);
        assertEquals(10, pids.size(), out.text);
        assertEquals(10, Set.copyOf(pids).size(), out.text);
        assertTrue(!pids.contains(main), out.text);
        assertTrue(out.indexOf("run in main") > out.indexOf("hello bob .*"), out.text);
        assertTrue(out.lines.get(out.lines.size() - 1).matches("spend time: \\d+\\.\\d\\d s"), out.text);
    }

    @Test
    void processSubclass_run_runsInAChildOfMain() throws Exception {
        SampleRun out = SampleRun.of(ProcessSubclass.class, dir, 50);
        String main = out.group("main process (\\d+)").get(0);
        List<String> child = out.group("run in myProcess \\(Process-1, pid (\\d+), ppid " + main + "\\)");
        assertEquals(1, child.size(), out.text);
        assertNotEquals(main, child.get(0));
        assertEquals("myProcess exited with 0", out.lines.get(out.lines.size() - 1), out.text);
    }

    @Test
    void poolSerialVsParallel_applyIsSerial_applyAsyncSpreadsOverWorkers() throws Exception {
        // At the seed's pace: with tenfold shorter tasks the serial part can end before the pool's second
        // worker is up (they boot one after another; a loaded CI machine with no CDS archive took 3.4 s).
        SampleRun out = SampleRun.atSeedPace(PoolSerialVsParallel.class, dir, 50);
        int serialDone = out.indexOf("serial \\(apply\\) run done, spend_time: .*");
        List<String> serialTasks = new SampleRunView(out.lines.subList(0, serialDone)).group("run in process: \\d+ \\(task (\\d+)\\)");
        assertEquals(TEN, serialTasks, out.text);
        double serial = Double.parseDouble(out.group("serial \\(apply\\) run done, spend_time: ([\\d.]+) s").get(0));
        assertTrue(serial >= 9.9, "ten one-second tasks one after another took " + serial + " s\n" + out);
        List<String> parallel = new SampleRunView(out.lines.subList(serialDone, out.lines.size()))
                .group("run in process: (\\d+) \\(task \\d+\\)");
        assertEquals(10, parallel.size(), out.text);
        assertTrue(Set.copyOf(parallel).size() >= 2, "applyAsync used one worker only\n" + out);
        assertTrue(Set.copyOf(out.group("run in process: (\\d+) .*")).size() <= 5, out.text);
        assertTrue(out.lines.get(out.lines.size() - 1).startsWith("parallel (applyAsync) run done"), out.text);
    }

    @Test
    void poolCallback_eachResult_reachesTheCallbackInMain() throws Exception {
        SampleRun out = SampleRun.of(PoolCallback.class, dir, 50);
        String main = out.group("main process (\\d+)").get(0);
        List<String> logged = out.group("log done: filename-(\\d+) \\(callback in pid " + main + "\\)");
        assertEquals(Set.copyOf(TEN), Set.copyOf(logged), out.text);
        assertEquals(10, logged.size(), out.text);
        for (String i : TEN) {
            assertTrue(out.indexOf("run in process: \\d+ \\(task " + i + "\\)") < out.indexOf("log done: filename-" + i + " .*"),
                    "task " + i + "\n" + out);
        }
    }

    @Test
    void poolMap_allVerbs_giveTheSeedsResults() throws Exception {
        SampleRun out = SampleRun.of(PoolMap.class, dir, 50);
        assertEquals(2, out.matching("Results: \\[0, 2, 4, 6, 8, 10, 12, 14, 16, 18\\]").size(), out.text);
        assertTrue(out.indexOf("apply\\(worker, 5\\): 10") > out.indexOf("Results: .*"), out.text);
        int goesOn = out.indexOf("the main process goes on");
        int lastResults = out.lines.lastIndexOf("Results: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]");
        assertTrue(goesOn > 0 && goesOn < lastResults, out.text);
        assertTrue(out.indexOf("starmap\\(add, \\[\\(1, 2\\), \\(3, 4\\), \\(5, 6\\)\\]\\): \\[3, 7, 11\\]") > lastResults, out.text);
        int cpus = Runtime.getRuntime().availableProcessors();
        assertTrue(out.indexOf("cpu_count " + cpus + ": a pool of " + cpus + " processes, pids .*") > 0, out.text);
        int overlap = out.maxOverlap("Worker \\d+ is starting .*", "Worker \\d+ is done");
        assertTrue(overlap >= 2 && overlap <= 4, "overlap " + overlap + "\n" + out);
    }

    @Test
    void poolErrorCallback_taskThreeThrows_callbackAndGetBothSeeIt() throws Exception {
        SampleRun out = SampleRun.of(PoolErrorCallback.class, dir, 50);
        String error = "java.lang.IllegalArgumentException: simulated error for 3";
        assertEquals(List.of("error callback caught: " + error), out.matching("error callback caught: .*"), out.text);
        List<String> main = out.lines.stream().filter(l -> !l.startsWith("error callback")).collect(Collectors.toList());
        assertEquals(List.of("0", "2", "4", "main process caught: " + error, "8", "10", "12", "14", "16", "18"), main, out.text);
    }

    @Test
    void poolCpu_map_computesTheSums() throws Exception {
        SampleRun out = SampleRun.of(PoolCpu.class, dir, 50);
        String expected = IntStream.range(0, 10).mapToObj(n -> String.valueOf(499_999_500_000L * n))
                .collect(Collectors.joining(", ", "[", "]"));
        assertEquals(expected, out.lines.get(0), out.text);
        assertTrue(out.lines.get(1).matches("map took [\\d.]+ s on 4 workers"), out.text);
    }

    @Test
    void sharedArray_fourWorkersFillTheirQuarterInPlace_theCallerSeesEveryElement() throws Exception {
        SampleRun out = SampleRun.of(SharedArrayFill.class, dir, 50);
        assertTrue(out.lines.get(0).matches("4 slices filled by workers \\[\\d+(, \\d+)*\\] in [\\d.]+ s"), out.text);
        assertEquals("all 1000000 elements are sqrt(i); their sum is 666666166.5", out.lines.get(1), out.text);
        assertFalse(java.nio.file.Files.list(io.ipckit.core.Space.defaultParent())
                .anyMatch(p -> p.getFileName().toString().startsWith("ipckit-shm-fill-")), "unlinked");
    }

    @Test
    void executorFutures_shutdownThenResults_inSubmitOrder() throws Exception {
        SampleRun out = SampleRun.of(ExecutorFutures.class, dir, 50);
        List<String> runs = out.matching("process worker-\\d+ runs task \\d+");
        assertEquals(20, runs.size(), out.text);
        assertTrue(Set.copyOf(out.group("process worker-(\\d+) runs task \\d+")).size() <= 3, out.text);
        List<String> results = out.lines.subList(20, out.lines.size());
        assertEquals(20, results.size(), out.text);
        for (int i = 0; i < 20; i++) {
            String worker = new SampleRunView(runs).group("process (worker-\\d+) runs task " + i).get(0);
            assertEquals("(" + i * i + ", '" + worker + "')", results.get(i), out.text);
        }
    }

    @Test
    void executorSerial_eachResult_beforeTheNextTask() throws Exception {
        SampleRun out = SampleRun.of(ExecutorSerial.class, dir, 50);
        assertEquals(40, out.lines.size(), out.text);
        for (int i = 0; i < 20; i++) {
            assertTrue(out.lines.get(2 * i).matches("process worker-\\d+ runs task " + i), out.text);
            assertTrue(out.lines.get(2 * i + 1).matches("\\(" + i * i + ", 'worker-\\d+'\\)"), out.text);
        }
    }

    @Test
    void executorCallback_resultsPrinted_whileOtherTasksRun() throws Exception {
        SampleRun out = SampleRun.of(ExecutorCallback.class, dir, 50);
        assertEquals(20, out.matching("process worker-\\d+ runs task \\d+").size(), out.text);
        Set<String> squares = new HashSet<>(out.group("\\((\\d+), 'worker-\\d+'\\)"));
        assertEquals(IntStream.range(0, 20).mapToObj(i -> String.valueOf(i * i)).collect(Collectors.toSet()), squares, out.text);
        int firstResult = out.indexOf("\\(\\d+, 'worker-\\d+'\\)");
        assertTrue(firstResult < out.lines.lastIndexOf(out.matching("process worker-\\d+ runs task \\d+").get(19)),
                "no result before the last task started\n" + out);
    }

    @Test
    void threadExecutor_threeStyles_allInOneProcess() throws Exception {
        SampleRun out = SampleRun.of(ThreadExecutor.class, dir, 50);
        assertEquals(3, out.matching("== style \\d: .*").size(), out.text);
        assertEquals(60, out.matching("pool-\\d+-thread-[123] \\(pid \\d+\\) runs task \\d+").size(), out.text);
        assertEquals(1, Set.copyOf(out.group("pool-\\d+-thread-\\d \\(pid (\\d+)\\) runs task \\d+")).size(), out.text);
        int style2 = out.indexOf("== style 2: .*");
        for (int i = 0; i < 20; i++) {
            assertTrue(out.lines.get(style2 + 1 + 2 * i).matches("pool-\\d+-thread-\\d \\(pid \\d+\\) runs task " + i), out.text);
            assertEquals(String.valueOf(i * i), out.lines.get(style2 + 2 + 2 * i), out.text);
        }
    }

    @Test
    void writeRead_readerTask_getsPython() throws Exception {
        SampleRun out = SampleRun.of(WriteRead.class, dir, 50);
        assertEquals(List.of("p", "y", "t", "h", "o", "n"), out.group("read got from the queue: (.)"), out.text);
        String main = out.group("\\((\\d+)\\) start").get(0);
        assertEquals("(" + main + ") end", out.lines.get(out.lines.size() - 1), out.text);
        assertEquals(1, out.matching("write started \\(\\d+\\), parent \\(" + main + "\\)").size(), out.text);
        assertTrue(out.indexOf("write started .*") < out.indexOf("read started \\(\\d+\\), parent \\(" + main + "\\)"), out.text);
    }

    /** {@link SampleRun}'s queries over a slice of lines. */
    private static final class SampleRunView {
        private final List<String> lines;

        SampleRunView(List<String> lines) {
            this.lines = lines;
        }

        List<String> group(String regex) {
            java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
            return lines.stream().map(p::matcher).filter(java.util.regex.Matcher::matches).map(m -> m.group(1))
                    .collect(Collectors.toList());
        }
    }
}
