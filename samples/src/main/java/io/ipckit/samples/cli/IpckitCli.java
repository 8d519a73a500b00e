package io.ipckit.samples.cli;

import io.ipckit.core.internal.Bootstrap;
import io.ipckit.core.Codec;
import io.ipckit.core.JvmLauncher;
import io.ipckit.core.ManagerGoneException;
import io.ipckit.core.Space;
import io.ipckit.core.internal.JvmFlags;
import io.ipckit.core.internal.SpaceLayout;
import io.ipckit.core.internal.channel.ChannelState;
import io.ipckit.core.internal.channel.ExcerptLayout;
import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.protocol.ManagerProtocol;
import io.ipckit.pool.internal.PoolFiles;
import io.ipckit.pool.internal.WorkerSlots;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The {@code ipckit} command line: {@code spaces}, {@code inspect SPACE}, {@code tail QUEUE [--follow]},
 * {@code clean}, {@code jvm-flags}. Run it as {@code java -jar samples/target/ipckit-cli.jar <command>} (the
 * command line with its dependencies, whose manifest opens what ipckit needs), as
 * {@code java -jar samples/target/ipckit-samples.jar ipckit <command>} or
 * {@code java -cp samples/target/ipckit-samples.jar io.ipckit.samples.cli.IpckitCli <command>}.
 * Exit codes: 0 done, 1 a space or queue that is not there (one line on standard error), 2 usage.
 */
@Command(name = "ipckit", mixinStandardHelpOptions = true, version = "ipckit 0.1.0",
        description = "Looks at the ipckit spaces on this host.",
        subcommands = {IpckitCli.Spaces.class, IpckitCli.Inspect.class, IpckitCli.Tail.class, IpckitCli.Clean.class,
                IpckitCli.JvmFlagsCommand.class})
public final class IpckitCli implements Callable<Integer> {
    /** Exit code for a space or queue that does not exist (or is not readable). */
    public static final int GONE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (spaces, inspect, tail, clean, jvm-flags)");
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) throws Exception {
        Bootstrap.beforeChronicle();
        if (args.length > 0 && (args[0].equals("tail") || args[0].equals("inspect")) && !JvmFlags.presentInThisJvm()) {
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

    /** A space or queue that is not there: one line, exit code 1. */
    static final class Gone extends RuntimeException {
        Gone(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ spaces on disk

    /** Where spaces are looked for: {@code --dir} when given, else /dev/shm (when present) and the temp dir. */
    static List<Path> parents(List<Path> dirs) {
        if (dirs != null && !dirs.isEmpty()) {
            return dirs;
        }
        List<Path> out = new ArrayList<>();
        out.add(Space.defaultParent());
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        if (!out.contains(tmp)) {
            out.add(tmp);
        }
        return out;
    }

    /** The space directories (with a valid marker) under {@code parents}, sorted. */
    static List<Path> spaces(List<Path> parents) {
        List<Path> found = new ArrayList<>();
        for (Path parent : parents) {
            try (Stream<Path> entries = Files.list(parent)) {
                entries.filter(Files::isDirectory).filter(d -> new SpaceLayout(d).hasMarker()).forEach(found::add);
            } catch (IOException e) {
                // unreadable or missing parent: no spaces there
            }
        }
        found.sort(Comparator.naturalOrder());
        return found;
    }

    /** A SPACE argument: a directory, or a directory name under the default parents. */
    static Path resolveSpace(String arg, List<Path> dirs) {
        Path p = Path.of(arg);
        if (!p.isAbsolute() && p.getNameCount() == 1 && !Files.isDirectory(p)) {
            for (Path parent : parents(dirs)) {
                if (Files.isDirectory(parent.resolve(arg))) {
                    p = parent.resolve(arg);
                    break;
                }
            }
        }
        if (!Files.isDirectory(p) || !new SpaceLayout(p).hasMarker()) {
            throw new Gone("no space at " + arg + " (it may have been removed); 'ipckit spaces' lists them");
        }
        return p.toAbsolutePath().normalize();
    }

    /** The {@code creator-pid} in the space's marker, or -1. */
    static long creatorPid(Path space) {
        try {
            for (String line : Files.readAllLines(new SpaceLayout(space).marker(), StandardCharsets.UTF_8)) {
                if (line.startsWith("creator-pid ")) {
                    return Long.parseLong(line.substring("creator-pid ".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no readable marker
        }
        return -1;
    }

    /** The manager's pid from the space's {@code manager} file, or -1 when the space has no manager. */
    static long managerPid(Path space) {
        try {
            ManagerLayout.Info info = ManagerLayout.read(space);
            return info == null ? -1 : info.pid;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static String pidText(long pid) {
        return pid < 0 ? "-" : pid + (alive(pid) ? " (alive)" : " (dead)");
    }

    static List<String> channels(Path space) {
        List<String> names = new ArrayList<>();
        Path dir = new SpaceLayout(space).channelsDir();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
                ds.forEach(d -> names.add(d.getFileName().toString()));
            } catch (IOException e) {
                throw new Gone("cannot list the channels of " + space + ": " + e.getMessage());
            }
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    static long diskUsage(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        return String.format("%.1f MiB", n / (1024.0 * 1024));
    }

    // ------------------------------------------------------------------ commands

    /** {@code ipckit spaces}. */
    @Command(name = "spaces", mixinStandardHelpOptions = true,
            description = "Lists the spaces on this host, their creator and manager pids and whether they are alive.")
    static final class Spaces implements Callable<Integer> {
        @Option(names = "--dir", description = "look only in this parent directory (repeatable)")
        List<Path> dirs;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<Path> found = spaces(parents(dirs));
            if (found.isEmpty()) {
                out.println("no spaces under " + parents(dirs));
                return 0;
            }
            out.printf("%-50s %-18s %-18s %s%n", "SPACE", "CREATOR", "MANAGER", "CHANNELS");
            for (Path s : found) {
                out.printf("%-50s %-18s %-18s %d%n", s, pidText(creatorPid(s)), pidText(managerPid(s)),
                        channels(s).size());
            }
            return 0;
        }
    }

    /** {@code ipckit inspect SPACE}. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Shows a space's manager and every channel (manager queues are the channels named q.NAME) "
                    + "with its depth, counters and disk use; then every object of a live manager (maps, lists, "
                    + "locks, semaphores, events, values, your objects) with its type and state, asked from the "
                    + "manager; and, for a pool's space, each worker's pid, state, tasks done and current task."})
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "SPACE", description = "a space directory, or its name under /dev/shm or the temp dir")
        String space;

        @Option(names = "--dir", description = "parent directory to find SPACE in (repeatable)")
        List<Path> dirs;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = resolveSpace(space, dirs);
            out.println("space    " + dir);
            out.println("creator  " + pidText(creatorPid(dir)));
            out.println("manager  " + pidText(managerPid(dir)));
            out.println("disk     " + bytes(diskUsage(dir)));
            List<String> names = channels(dir);
            out.printf("%-32s %-8s %8s %10s %10s %10s %12s%n", "CHANNEL", "TYPE", "DEPTH", "CAPACITY", "PUT", "TAKEN", "DISK");
            SpaceLayout layout = new SpaceLayout(dir);
            for (String name : names) {
                Path stateFile = layout.channelState(name);
                String type = name.startsWith(ManagerLayout.QUEUE_PREFIX) ? "queue" : "channel";
                String shown = type.equals("queue") ? name.substring(ManagerLayout.QUEUE_PREFIX.length()) : name;
                long disk = diskUsage(layout.channelDir(name));
                if (!Files.isRegularFile(stateFile)) {
                    out.printf("%-32s %-8s %8s %10s %10s %10s %12s%n", shown, type, "?", "?", "?", "?", bytes(disk));
                    continue;
                }
                try (ChannelState st = ChannelState.openOrCreate(stateFile, 0)) {
                    long depth = Math.max(0, st.appended() - st.taken());
                    out.printf("%-32s %-8s %8d %10s %10d %10d %12s%n", shown, type, depth,
                            st.capacity() == 0 ? "unbounded" : String.valueOf(st.capacity()), st.appended(), st.taken(),
                            bytes(disk));
                } catch (IOException | RuntimeException e) {
                    out.printf("%-32s %-8s unreadable state: %s%n", shown, type, e.getMessage());
                }
            }
            out.println(names.size() + " channel(s)");
            objects(out, dir);
            workers(out, dir);
            return 0;
        }
    }

    static final String MANAGER_DEAD = "manager dead: the objects it held in memory are gone; the channels above "
            + "are what the files show";

    /** How long inspect waits for a live manager to list its objects. */
    static final long DESCRIBE_TIMEOUT_MILLIS = 5_000;

    /** The manager's objects, asked from it; or why they cannot be shown. Nothing for a space without manager. */
    static void objects(PrintWriter out, Path dir) {
        ManagerLayout.Info info;
        try {
            info = ManagerLayout.read(dir);
        } catch (IOException | RuntimeException e) {
            out.println("manager file unreadable (" + e.getMessage() + "): objects not shown");
            return;
        }
        if (info == null) {
            return;
        }
        if (!alive(info.pid) && info.pid != ProcessHandle.current().pid()) {
            out.println(MANAGER_DEAD);
            return;
        }
        List<String[]> objects;
        try {
            objects = describe(ManagerLayout.address(dir, info.token));
        } catch (TimeoutException e) {
            out.println("manager (pid " + info.pid + ") did not answer within " + DESCRIBE_TIMEOUT_MILLIS
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
        for (String[] o : objects) {
            out.printf("%-32s %-10s %s%n", o[0], o[1], o[2]);
        }
        out.println(objects.size() + " manager object(s)");
    }

    /**
     * Connects to the manager at {@code address} and asks for its objects ({@link Protocol#DESCRIBE}), on a
     * daemon thread so that a manager that lives but does not answer cannot hang the command.
     */
    @SuppressWarnings("unchecked")
    static List<String[]> describe(String address) throws TimeoutException {
        CompletableFuture<List<String[]>> answer = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (ManagerClient client = ManagerClient.connect(address)) {
                answer.complete((List<String[]>) client.call(ManagerProtocol.DESCRIBE, "-"));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        }, "ipckit-cli-describe");
        t.setDaemon(true);
        t.start();
        try {
            return answer.get(DESCRIBE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
        }
    }

    /** A pool's workers, from the slots file the workers write. Nothing for a space that is not a pool's. */
    static void workers(PrintWriter out, Path dir) {
        Path file = PoolFiles.slots(dir);
        if (!Files.isRegularFile(file)) {
            return;
        }
        WorkerSlots slots;
        try {
            slots = WorkerSlots.open(file);
        } catch (RuntimeException e) {
            out.println("pool workers file unreadable: " + e.getMessage());
            return;
        }
        out.printf("%-6s %-18s %-10s %10s  %s%n", "WORKER", "PID", "STATE", "TASKS-DONE", "CURRENT-TASK");
        for (int i = 0; i < slots.size(); i++) {
            long pid = slots.pid(i);
            long state = slots.state(i);
            String shown;
            if (pid > 0 && !alive(pid)) {
                shown = "dead";
            } else if (state >= 0) {
                shown = "running";
            } else if (state == WorkerSlots.POLLING) {
                shown = "idle";
            } else if (state == WorkerSlots.EXITING) {
                shown = "exiting";
            } else {
                shown = "starting";
            }
            out.printf("%-6d %-18s %-10s %10d  %s%n", i, pid > 0 ? String.valueOf(pid) : "-", shown,
                    slots.tasksDone(i), state >= 0 ? "#" + state : "-");
        }
        out.println(slots.size() + " pool worker(s)");
    }

    /** {@code ipckit tail QUEUE [--follow]}. */
    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = "Prints a channel's or manager queue's waiting messages, decoded, without taking them.")
    static final class Tail implements Callable<Integer> {
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
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            int slash = queue.lastIndexOf('/');
            if (slash <= 0 || slash == queue.length() - 1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "QUEUE must be SPACE/NAME, e.g. ipckit-1234/letters; was '" + queue + "'");
            }
            Path space = resolveSpace(queue.substring(0, slash), dirs);
            String name = queue.substring(slash + 1);
            SpaceLayout layout = new SpaceLayout(space);
            Path qdir = layout.channelQueue(ManagerLayout.QUEUE_PREFIX + name);
            if (!Files.isDirectory(qdir)) {
                qdir = layout.channelQueue(name);
            }
            if (!Files.isDirectory(qdir)) {
                throw new Gone("no queue or channel '" + name + "' in " + space + "; 'ipckit inspect " + space
                        + "' lists them");
            }
            Codec codec = Codec.defaults();
            try (ChronicleQueue q = ChronicleQueue.singleBuilder(qdir).readOnly(true).build();
                 ExcerptTailer tailer = q.createTailer()) {
                long idleSince = System.nanoTime();
                while (true) {
                    boolean read;
                    try (DocumentContext dc = tailer.readingDocument()) {
                        read = dc.isPresent();
                        if (read) {
                            print(out, codec, dc);
                        }
                    }
                    if (read) {
                        continue;
                    }
                    if (!follow) {
                        return 0;
                    }
                    if (!Files.isDirectory(qdir)) {
                        throw new Gone(space + " was removed");
                    }
                    Thread.sleep(System.nanoTime() - idleSince < 1_000_000_000L ? 1 : 20);
                }
            }
        }

        private void print(PrintWriter out, Codec codec, DocumentContext dc) {
            Bytes<?> bytes = dc.wire().bytes();
            long start = bytes.readPosition();
            if (bytes.readRemaining() < ExcerptLayout.HEADER) {
                return;
            }
            int claimant = ExcerptLayout.claimant(bytes, start);
            if (claimant != ExcerptLayout.FREE && !all) {
                return;
            }
            int n = (int) (bytes.readRemaining() - ExcerptLayout.HEADER);
            byte[] payload = new byte[n];
            bytes.read(start + ExcerptLayout.HEADER, payload, 0, n);
            String text;
            try {
                text = String.valueOf(codec.decode(payload));
            } catch (RuntimeException e) {
                text = "<cannot decode " + n + " bytes: " + e.getMessage() + ">";
            }
            out.println(claimant == ExcerptLayout.FREE ? text : text + "   (taken by pid " + claimant + ")");
        }
    }

    /** {@code ipckit clean}. */
    @Command(name = "clean", mixinStandardHelpOptions = true,
            description = "Removes the spaces whose creator and manager are both dead. Asks nothing; removes nothing alive.")
    static final class Clean implements Callable<Integer> {
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
            for (Path s : spaces(parents(dirs))) {
                long creator = creatorPid(s);
                long manager = managerPid(s);
                if (creator < 0 || alive(creator) || alive(manager)) {
                    kept++;
                    continue;
                }
                if (dryRun) {
                    out.println("would remove " + s + " (creator " + creator + " and manager " + manager + " dead)");
                    removed++;
                    continue;
                }
                try {
                    deleteTree(s);
                    out.println("removed " + s);
                    removed++;
                } catch (IOException e) {
                    spec.commandLine().getErr().println("ipckit: cannot remove " + s + ": " + e.getMessage());
                }
            }
            out.println((dryRun ? "would remove " : "removed ") + removed + " space(s), kept " + kept + " alive");
            return 0;
        }

        private static void deleteTree(Path dir) throws IOException {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** {@code ipckit jvm-flags}: the flags a JVM using ipckit needs, one per line, as a {@code java @file} argument file. */
    @Command(name = "jvm-flags", mixinStandardHelpOptions = true,
            description = {"Prints the JVM flags a program using ipckit needs on this JDK, one per line: "
                    + "an argument file for java.",
                    "  ipckit jvm-flags > ipckit.args",
                    "  java @ipckit.args -cp ... my.Main",
                    "Run it with the java that will run your program: newer JDKs need more flags.",
                    "With --cds (JDK 19+) it adds a class-data sharing archive the JVM keeps up to date "
                            + "itself, for this directory's program: about half the program's start-up CPU."})
    static final class JvmFlagsCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--cds", description = "also -XX:+AutoCreateSharedArchive with an archive in "
                + "~/.cache/ipckit/cds named after the current directory (JDK 19 and later)")
        boolean cds;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<String> flags = new ArrayList<>(JvmLauncher.requiredJvmFlags());
            if (cds) {
                if (Runtime.version().feature() < 19) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--cds needs JDK 19 or later "
                            + "(-XX:+AutoCreateSharedArchive); this is JDK " + Runtime.version().feature() + ". On JDK 17 "
                            + "run your program once with -XX:ArchiveClassesAtExit=app.jsa, then with "
                            + "-XX:SharedArchiveFile=app.jsa");
                }
                flags.addAll(cdsFlags(Path.of("").toAbsolutePath(),
                        io.ipckit.core.internal.ClassDataSharing.cacheDirectory()));
            }
            for (String flag : flags) {
                out.println(flag);
            }
            out.flush();
            return 0;
        }

        /**
         * The JVM keeps the archive itself: it maps it when it matches the JVM's classpath and writes it
         * anew at exit when it does not (the first run, a changed classpath). CDS's own log lines (a
         * mismatch, classes it skips) are turned off so that the program prints only its own output.
         */
        static List<String> cdsFlags(Path projectDir, Path cacheDir) {
            String name;
            try {
                byte[] sha = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(projectDir.toString().getBytes(StandardCharsets.UTF_8));
                name = "app-" + java.util.HexFormat.of().formatHex(sha, 0, 6) + ".jsa";
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + cacheDir.resolve(name),
                    "-Xlog:cds*=off");
        }
    }
}
