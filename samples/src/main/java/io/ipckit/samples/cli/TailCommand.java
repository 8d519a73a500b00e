package io.ipckit.samples.cli;

import io.ipckit.core.ChannelInfo;
import io.ipckit.core.ChannelPeek;
import io.ipckit.core.Codec;
import io.ipckit.core.SpaceInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ipckit tail SPACE/QUEUE [--follow] [--all]}: a queue's messages, decoded, none taken. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Prints a channel's or manager queue's waiting messages, decoded, without taking them.")
final class TailCommand implements Callable<Integer> {
    private static final int BATCH = 256;

    @Parameters(paramLabel = "QUEUE", description = "SPACE/NAME (a manager queue or a channel of the space)")
    String queue;

    @Option(names = {"-f", "--follow"}, description = "keep printing new messages until interrupted")
    boolean follow;

    @Option(names = "--all", description = "also print messages already taken, with the taker's pid")
    boolean all;

    @Option(names = "--dir", description = "parent directory to find the space in (repeatable)")
    List<Path> dirs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        int slash = queue.lastIndexOf('/');
        if (slash <= 0 || slash == queue.length() - 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "QUEUE must be SPACE/NAME, e.g. ipckit-1234/letters; was '" + queue + "'");
        }
        SpaceInfo space = CliSupport.resolveSpace(queue.substring(0, slash), dirs);
        String name = queue.substring(slash + 1);
        if (!space.readableByThisBuild()) {
            throw new IpckitCli.Gone("cannot tail " + queue + ": its space's data format is "
                    + CliSupport.otherFormat(space));
        }
        ChannelInfo channel = space.channel(name).orElseThrow(() -> new IpckitCli.Gone("no queue or channel '" + name
                + "' in " + space.directory() + "; 'ipckit inspect " + space.directory() + "' lists them"));
        try (ChannelPeek peek = channel.peek(Codec.defaults())) {
            long idleSince = System.nanoTime();
            while (true) {
                List<ChannelPeek.Message> batch = peek.next(BATCH);
                for (ChannelPeek.Message m : batch) {
                    if (!m.isTaken()) {
                        out.println(m);
                    } else if (all) {
                        out.println(m + "   (taken by pid " + m.takerPid() + ")");
                    }
                }
                if (!batch.isEmpty()) {
                    idleSince = System.nanoTime();
                    continue;
                }
                if (!follow) {
                    return 0;
                }
                Thread.sleep(System.nanoTime() - idleSince < 1_000_000_000L ? 1 : 20);
            }
        } catch (IllegalStateException e) {
            throw new IpckitCli.Gone(space.directory() + " was removed");
        }
    }
}
