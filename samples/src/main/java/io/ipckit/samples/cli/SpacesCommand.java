package io.ipckit.samples.cli;

import io.ipckit.core.SpaceInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ipckit spaces}: the spaces on this host, their creator and manager pids, alive or dead. */
@Command(name = "spaces", mixinStandardHelpOptions = true,
        description = "Lists the spaces on this host, their creator and manager pids and whether they are alive.")
final class SpacesCommand implements Callable<Integer> {
    @Option(names = "--dir", description = "look only in this parent directory (repeatable)")
    List<Path> dirs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> parents = CliSupport.parents(dirs);
        List<SpaceInfo> found = SpaceInfo.list(parents);
        if (found.isEmpty()) {
            out.println("no spaces under " + parents);
            return 0;
        }
        out.printf("%-50s %-18s %-18s %s%n", "SPACE", "CREATOR", "MANAGER", "CHANNELS");
        for (SpaceInfo s : found) {
            int channels;
            try {
                channels = s.channels().size();
            } catch (java.io.UncheckedIOException e) {
                throw new IpckitCli.Gone(e.getMessage());
            }
            out.printf("%-50s %-18s %-18s %d%n", s.directory(), CliSupport.pid(s.creatorPid(), s.creatorAlive()),
                    CliSupport.pid(s.managerPid(), s.managerAlive()), channels);
        }
        return 0;
    }
}
