package io.ipckit.samples.cli;

import io.ipckit.core.SpaceInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ipckit clean}: removes the spaces whose creator and manager are both dead. */
@Command(name = "clean", mixinStandardHelpOptions = true,
        description = "Removes the spaces whose creator and manager are both dead. Asks nothing; removes nothing alive.")
final class CleanCommand implements Callable<Integer> {
    @Option(names = "--dir", description = "look only in this parent directory (repeatable)")
    List<Path> dirs;

    @Option(names = {"-n", "--dry-run"}, description = "print what would be removed, remove nothing")
    boolean dryRun;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int removed = 0;
        int kept = 0;
        for (SpaceInfo s : SpaceInfo.list(CliSupport.parents(dirs))) {
            if (!s.abandoned()) {
                kept++;
                continue;
            }
            if (dryRun) {
                out.println("would remove " + s.directory() + " (creator " + s.creatorPid() + " and manager "
                        + s.managerPid() + " dead)");
                removed++;
                continue;
            }
            try {
                if (s.removeIfAbandoned()) {
                    out.println("removed " + s.directory());
                    removed++;
                } else {
                    kept++;
                }
            } catch (UncheckedIOException e) {
                spec.commandLine().getErr().println("ipckit: " + e.getMessage());
            }
        }
        out.println((dryRun ? "would remove " : "removed ") + removed + " space(s), kept " + kept + " alive");
        return 0;
    }
}
