package io.ipckit.samples;

import io.ipckit.core.internal.Bootstrap;
import io.ipckit.core.JvmLauncher;
import io.ipckit.samples.bench.ChannelBench;
import io.ipckit.samples.cli.IpckitCli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of {@code samples/target/ipckit-samples.jar}: {@code java -jar ipckit-samples.jar <sample> [args]}.
 * With no sample name it lists them. Under {@code java -jar} the jar's manifest ({@code Add-Opens},
 * {@code Add-Exports}, {@code Enable-Native-Access}) gives this JVM what ipckit needs, so the sample runs here;
 * started without them (e.g. {@code java -cp ipckit-samples.jar io.ipckit.samples.Main}), it runs itself
 * again in a child JVM that has ipckit's flags.
 */
public final class Main {
    private static final Map<String, Sample> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put("write-read", new Sample("a Manager queue passed to a writer and a reader task of a pool: "
                + "p, y, t, h, o, n", WriteRead::main));
        SAMPLES.put("pool-apply-async", new Sample("Pool(3), ten applyAsync tasks of random length; at most "
                + "three overlap", PoolApplyAsync::main));
        SAMPLES.put("pool-apply", new Sample("the same with the blocking apply: one after another",
                PoolApply::main));
        SAMPLES.put("process-basic", new Sample("ten child processes print their pid and parent pid",
                ProcessBasic::main));
        SAMPLES.put("process-subclass", new Sample("a Process subclass overriding run()", ProcessSubclass::main));
        SAMPLES.put("pool-serial-vs-parallel", new Sample("Pool(5), ten one-second tasks: apply (~10 s) then "
                + "applyAsync (~2 s)", PoolSerialVsParallel::main));
        SAMPLES.put("pool-callback", new Sample("applyAsync with a callback that gets each return value",
                PoolCallback::main));
        SAMPLES.put("pool-map", new Sample("map on 4 workers, apply, applyAsync + get, starmap, "
                + "a pool of cpu_count workers", PoolMap::main));
        SAMPLES.put("pool-error-callback", new Sample("a task throws for 3: the error callback and get() "
                + "both see it", PoolErrorCallback::main));
        SAMPLES.put("pool-cpu", new Sample("a CPU-bound map on Pool(4)", PoolCpu::main));
        SAMPLES.put("shared-array", new Sample("Array('d', n) in shared memory: four workers fill a quarter each, "
                + "in place", SharedArrayFill::main));
        SAMPLES.put("executor-futures", new Sample("ProcessPoolExecutor(3): submit 20, shutdown, read the "
                + "futures", ExecutorFutures::main));
        SAMPLES.put("executor-serial", new Sample("ProcessPoolExecutor(3): submit and wait one by one",
                ExecutorSerial::main));
        SAMPLES.put("executor-callback", new Sample("ProcessPoolExecutor(3): done-callbacks print each "
                + "result", ExecutorCallback::main));
        SAMPLES.put("thread-executor", new Sample("the three executor styles on a JDK thread pool: one pid",
                ThreadExecutor::main));
        SAMPLES.put("ipckit", new Sample("the command line: ipckit spaces | inspect SPACE | tail SPACE/QUEUE "
                + "[--follow] | clean | jvm-flags", args -> System.exit(IpckitCli.run(new java.io.PrintWriter(System.out, true),
                        new java.io.PrintWriter(System.err, true), args))));
        SAMPLES.put("channel-demo", new Sample("a writer JVM puts the letters of \"python\" on a channel, "
                + "a reader JVM takes them", ChannelDemo::main));
        SAMPLES.put("bench", new Sample("the benchmarks, as METRIC lines [--quick] [--only PREFIX] [--compare: also CPython, one table] [--jmx-cost [--pairs N]: what -Dipckit.jmx=true costs each figure]", ChannelBench::main));
    }

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Bootstrap.beforeChronicle();
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            list();
            return;
        }
        Sample sample = SAMPLES.get(args[0]);
        if (sample == null) {
            System.err.println("unknown sample '" + args[0] + "'");
            list();
            System.exit(2);
        }
        if (needsRelaunch()) {
            JvmLauncher child = JvmLauncher.forMain(Main.class).args(args).inheritIO();
            if (Boolean.getBoolean(Pace.FAST)) {
                child.jvmOptions("-D" + Pace.FAST + "=true");
            }
            Process p = child.start();
            System.exit(p.waitFor());
        }
        sample.main.run(Arrays.copyOfRange(args, 1, args.length));
    }

    /**
     * The opens are missing (started with {@code -cp}, not {@code java -jar}), or this is JDK 24+ without
     * {@code --sun-misc-unsafe-memory-access=allow}, which no manifest attribute can give: Chronicle's use of
     * {@code sun.misc.Unsafe} would print a warning block before the sample's output.
     */
    private static boolean needsRelaunch() {
        if (!JvmLauncher.requiredJvmFlagsPresent()) {
            return true;
        }
        return Runtime.version().feature() >= 24 && !java.lang.management.ManagementFactory.getRuntimeMXBean()
                .getInputArguments().contains("--sun-misc-unsafe-memory-access=allow");
    }

    private static void list() {
        System.out.println("usage: java -jar samples/target/ipckit-samples.jar <sample> [args]");
        System.out.println("samples:");
        SAMPLES.forEach((name, s) -> System.out.printf("  %-24s %s%n", name, s.description));
    }

    @FunctionalInterface
    interface SampleMain {
        void run(String[] args) throws Exception;
    }

    private static final class Sample {
        final String description;
        final SampleMain main;

        Sample(String description, SampleMain main) {
            this.description = description;
            this.main = main;
        }
    }
}
