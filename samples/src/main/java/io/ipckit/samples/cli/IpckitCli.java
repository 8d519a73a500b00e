package io.ipckit.samples.cli;

import io.ipckit.core.JvmLauncher;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

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

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("tail") || args[0].equals("inspect"))
                && !JvmLauncher.requiredJvmFlagsPresent()) {
            // Chronicle needs ipckit's JVM flags: run again in a JVM that has them.
            java.lang.Process p = JvmLauncher.forMain(IpckitCli.class).args(args).inheritIO().start();
            System.exit(p.waitFor());
        }
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
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
