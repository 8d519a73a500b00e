package io.ipckit.samples.cli;

import io.ipckit.core.ChannelInfo;
import io.ipckit.core.ManagerGoneException;
import io.ipckit.core.SharedObjectInfo;
import io.ipckit.core.SpaceInfo;
import io.ipckit.pool.WorkerInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/** {@code ipckit inspect SPACE}: a space's manager, channels, manager objects and pool workers. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Shows a space's manager and every channel (manager queues are the channels named q.NAME) "
                + "with its depth, counters and disk use; then every object of a live manager (maps, lists, "
                + "locks, semaphores, events, values, your objects) with its type and state, asked from the "
                + "manager; and, for a pool's space, each worker's pid, state, tasks done and current task."})
final class InspectCommand implements Callable<Integer> {
    static final String MANAGER_DEAD = "manager dead: the objects it held in memory are gone; the channels above "
            + "are what the files show";

    /** How long inspect waits for a live manager to list its objects. */
    static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(5);

    private static final String CHANNEL_ROW = "%-32s %-8s %8s %10s %10s %10s %12s%n";

    @Parameters(paramLabel = "SPACE", description = "a space directory, or its name under /dev/shm or the temp dir;"
            + " or a cluster address (ipckit-cluster://...): its members, queues, maps and lists")
    String space;

    @Option(names = "--dir", description = "parent directory to find SPACE in (repeatable)")
    List<Path> dirs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (space.startsWith(io.ipckit.cluster.ClusterAddress.SCHEME)) {
            return inspectCluster(out);
        }
        SpaceInfo info = CliSupport.resolveSpace(space, dirs);
        out.println("space    " + info.directory());
        out.println("creator  " + CliSupport.pid(info.creatorPid(), info.creatorAlive()));
        out.println("manager  " + CliSupport.pid(info.managerPid(), info.managerAlive()));
        out.println("disk     " + CliSupport.bytes(info.diskBytes()));
        if (!info.readableByThisBuild()) {
            out.println("format   " + CliSupport.otherFormat(info));
        }
        List<ChannelInfo> channels;
        try {
            channels = info.channels();
        } catch (UncheckedIOException e) {
            throw new IpckitCli.Gone(e.getMessage());
        }
        out.printf(CHANNEL_ROW, "CHANNEL", "TYPE", "DEPTH", "CAPACITY", "PUT", "TAKEN", "DISK");
        for (ChannelInfo c : channels) {
            String type = c.isManagerQueue() ? "queue" : "channel";
            if (c.unreadableReason().isPresent()) {
                out.printf("%-32s %-8s unreadable state: %s%n", c.name(), type, c.unreadableReason().get());
            } else if (!c.hasCounters()) {
                out.printf(CHANNEL_ROW, c.name(), type, "?", "?", "?", "?", CliSupport.bytes(c.diskBytes()));
            } else {
                out.printf(CHANNEL_ROW, c.name(), type, c.depth(),
                        c.capacity() == 0 ? "unbounded" : String.valueOf(c.capacity()), c.appended(), c.taken(),
                        CliSupport.bytes(c.diskBytes()));
            }
        }
        out.println(channels.size() + " channel(s)");
        objects(out, info);
        workers(out, info.directory());
        return 0;
    }

    /** The manager's objects, asked from it; or why they cannot be shown. Nothing for a space without manager. */
    private static void objects(PrintWriter out, SpaceInfo info) {
        if (!info.hasManager()) {
            return;
        }
        List<SharedObjectInfo> objects;
        try {
            objects = info.managerObjects(DESCRIBE_TIMEOUT);
        } catch (TimeoutException e) {
            out.println("manager (pid " + info.managerPid() + ") did not answer within " + DESCRIBE_TIMEOUT.toMillis()
                    + " ms: objects not shown");
            return;
        } catch (ManagerGoneException e) {
            out.println(MANAGER_DEAD);
            return;
        } catch (RuntimeException e) {
            out.println("manager objects not shown: " + e.getMessage());
            return;
        }
        out.printf("%-32s %-10s %s%n", "OBJECT", "TYPE", "STATE");
        for (SharedObjectInfo o : objects) {
            out.printf("%-32s %-10s %s%n", o.name(), o.type(), o.state());
        }
        out.println(objects.size() + " manager object(s)");
    }

    /** A pool's workers. Nothing for a space that is not a pool's. */
    private static void workers(PrintWriter out, Path dir) {
        List<WorkerInfo> workers;
        try {
            workers = WorkerInfo.list(dir);
        } catch (IllegalStateException e) {
            out.println(e.getMessage());
            return;
        }
        if (workers.isEmpty()) {
            return;
        }
        out.printf("%-6s %-18s %-10s %10s  %s%n", "WORKER", "PID", "STATE", "TASKS-DONE", "CURRENT-TASK");
        for (WorkerInfo w : workers) {
            out.printf("%-6d %-18s %-10s %10d  %s%n", w.index(), w.pid() > 0 ? String.valueOf(w.pid()) : "-",
                    w.state().name().toLowerCase(Locale.ROOT), w.tasksDone(),
                    w.currentTask() >= 0 ? "#" + w.currentTask() : "-");
        }
        out.println(workers.size() + " pool worker(s)");
    }

    /**
     * {@code inspect ipckit-cluster://...}: the members, the nodes running pool workers, and the ipckit queues,
     * maps and lists with their sizes.
     */
    private int inspectCluster(PrintWriter out) {
        io.ipckit.cluster.ClusterInfo c;
        try {
            c = io.ipckit.cluster.ClusterInfo.of(io.ipckit.cluster.ClusterAddress.parse(space));
        } catch (io.ipckit.cluster.ClusterException e) {
            throw new IpckitCli.Gone(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        out.println("cluster  " + c.address());
        out.println("members  " + String.join(" ", c.members()));
        for (io.ipckit.cluster.ClusterInfo.NodeInfo n : c.nodes()) {
            out.println("node     " + n.host() + " pid " + n.pid() + ", " + n.workers() + " worker(s)"
                    + (n.workerPids().isEmpty() ? "" : ", pids " + n.workerPids()));
        }
        out.printf("%-8s %-32s %10s%n", "KIND", "NAME", "SIZE");
        for (io.ipckit.cluster.ClusterInfo.ObjectInfo o : c.objects()) {
            out.printf("%-8s %-32s %10d%n", o.kind(), o.name(), o.size());
        }
        return 0;
    }
}
