package io.ipckit.samples;

import io.ipckit.core.JvmLauncher;
import io.ipckit.core.internal.JvmFlags;
import io.ipckit.samples.bench.ChannelBench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of {@code samples/target/ipckit-samples.jar}: {@code java -jar ipckit-samples.jar <sample> [args]}.
 * With no sample name it lists them. When started without ipckit's JVM flags (plain {@code java -jar}),
 * it runs itself again in a child JVM that has them.
 */
public final class Main {
    private static final Map<String, Sample> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put("channel-demo", new Sample("a writer JVM puts the letters of \"python\" on a channel, "
                + "a reader JVM takes them", ChannelDemo::main));
        SAMPLES.put("bench", new Sample("the benchmarks: METRIC lines [--quick]", ChannelBench::main));
    }

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        JvmFlags.disableChronicleAnalytics();
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
        if (!JvmFlags.presentInThisJvm()) {
            Process p = JvmLauncher.forMain(Main.class).args(args).inheritIO().start();
            System.exit(p.waitFor());
        }
        sample.main.run(Arrays.copyOfRange(args, 1, args.length));
    }

    private static void list() {
        System.out.println("usage: java -jar samples/target/ipckit-samples.jar <sample> [args]");
        System.out.println("samples:");
        SAMPLES.forEach((name, s) -> System.out.printf("  %-16s %s%n", name, s.description));
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
