package io.ipckit.samples.cli;

import io.ipckit.core.JvmLauncher;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ipckit} command line: {@code spaces}, {@code inspect SPACE}, {@code tail QUEUE [--follow]},
 * {@code clean}, {@code jvm-flags}, {@code top}, {@code node --cluster ADDRESS}, {@code cluster-address}, one
 * class each ({@link SpacesCommand}, {@link InspectCommand}, {@link TailCommand}, {@link CleanCommand},
 * {@link JvmFlagsCommand}, {@link TopCommand}, {@link NodeCommand}, {@link ClusterAddressCommand}), all on ipc-core's public inspection
 * API ({@link io.ipckit.core.SpaceInfo}) and the pool's ({@link io.ipckit.pool.WorkerInfo}). Run it as
 * {@code java -jar samples/target/ipckit-cli.jar <command>} (the command line with its dependencies, whose
 * manifest opens what ipckit needs), as {@code java -jar samples/target/ipckit-samples.jar ipckit <command>}
 * or {@code java -cp samples/target/ipckit-samples.jar io.ipckit.samples.cli.IpckitCli <command>}.
 * Exit codes: 0 done, 1 a space or queue that is not there (one line on standard error), 2 usage.
 */
@Command(name = "ipckit", mixinStandardHelpOptions = true, version = "ipckit 0.1.0",
        description = "Looks at the ipckit spaces on this host.",
        subcommands = {SpacesCommand.class, InspectCommand.class, TailCommand.class, CleanCommand.class,
                JvmFlagsCommand.class, TopCommand.class, NodeCommand.class, ClusterAddressCommand.class})
public final class IpckitCli implements Callable<Integer> {
    /** Exit code for a space or queue that does not exist (or is not readable). */
    public static final int GONE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (spaces, inspect, tail, clean, jvm-flags, top, node, cluster-address)");
    }

    /** The commands that open Chronicle queues (a node does for its workers), so need ipckit's JVM flags. */
    private static final Set<String> NEED_FLAGS = Set.of("tail", "inspect", "node");
    /** How long a JVM that ran a command in a second one waits, once stopped, for that one to end. */
    static final long STOP_WAIT_SECONDS = 90;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && NEED_FLAGS.contains(args[0]) && !JvmLauncher.requiredJvmFlagsPresent()) {
            System.exit(inJvmWithFlags(args));
        }
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs {@code args} again in a JVM that has ipckit's flags (Chronicle needs them: {@code java -jar
     * ipckit-cli.jar} has them from the jar's manifest, {@code java -cp ipckit-cli.jar:app.jar ...} does not),
     * with this JVM's class path and its own {@code -X} and {@code -D} options, sharing its standard streams;
     * returns that JVM's exit status. Stopping this JVM ({@code kill PID}, Ctrl-C) stops that one the same way
     * (SIGTERM) and waits for it, up to {@link #STOP_WAIT_SECONDS}: a node still leaves its cluster cleanly,
     * its running tasks finishing first. Killed with {@code kill -9}, this JVM takes that one down within a
     * second ({@link JvmLauncher}'s default), as a node killed with {@code kill -9}. Main thread.
     */
    private static int inJvmWithFlags(String[] args) throws Exception {
        List<String> own = new ArrayList<>();
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("-X") || option.startsWith("-D")) {
                own.add(option);
            }
        }
        java.lang.Process p = JvmLauncher.forMain(IpckitCli.class).jvmOptions(own).args(args).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.destroy();
            try {
                p.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ipckit-cli-stop"));
        return p.waitFor();
    }

    /** Runs {@code args}, printing to {@code out} and {@code err}; returns the exit code. Any thread. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new IpckitCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof Gone) {
                cmd.getErr().println("ipckit: " + e.getMessage());
                return GONE;
            }
            throw e;
        });
        return cl.execute(args);
    }

    /** A space or queue that is not there: one line, exit code {@link #GONE}. */
    static final class Gone extends RuntimeException {
        Gone(String message) {
            super(message);
        }
    }
}
