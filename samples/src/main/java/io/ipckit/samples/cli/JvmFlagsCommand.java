package io.ipckit.samples.cli;

import io.ipckit.core.JvmLauncher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ipckit jvm-flags}: the flags a JVM using ipckit needs, one per line, as a {@code java @file} argument file. */
@Command(name = "jvm-flags", mixinStandardHelpOptions = true,
        description = {"Prints the JVM flags a program using ipckit needs on this JDK, one per line: "
                + "an argument file for java.",
                "  ipckit jvm-flags > ipckit.args",
                "  java @ipckit.args -cp ... my.Main",
                "Run it with the java that will run your program: newer JDKs need more flags.",
                "With --cds (JDK 19+) it adds a class-data sharing archive the JVM keeps up to date "
                        + "itself, for this directory's program: about half the program's start-up CPU.",
                "On JDK 17 and 18, --cds --class-path CP makes that archive now, with a training run on "
                        + "your program's class path (jars only), and prints the flag that maps it:",
                "  ipckit jvm-flags --cds --class-path app.jar:lib/* > ipckit.args"})
public final class JvmFlagsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--cds", description = "also a class-data sharing archive in ~/.cache/ipckit/cds: on "
            + "JDK 19 and later one the JVM keeps itself (-XX:+AutoCreateSharedArchive), named after the current "
            + "directory; on JDK 17 and 18 one made now for --class-path")
    boolean cds;

    @Option(names = {"--class-path", "-cp"}, paramLabel = "CP", description = "with --cds on JDK 17 and 18: "
            + "your program's class path, exactly as you will pass it to java (jars only)")
    String classPath;

    /** How long the training run of {@code --cds} on JDK 17 may take. */
    static final long TRAINING_TIMEOUT_SECONDS = 180;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> flags = new ArrayList<>(JvmLauncher.requiredJvmFlags());
        if (cds) {
            if (Runtime.version().feature() < 19) {
                if (classPath == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--cds on JDK "
                            + Runtime.version().feature() + " needs --class-path CP, your program's class path as you"
                            + " pass it to java: the archive is made now, by a training run on it (JDK 19 and later"
                            + " keep one themselves)");
                }
                try {
                    flags.addAll(CdsTrainingRun.flagsFor(classPath, expand(classPath), JvmLauncher.classDataSharingDirectory(),
                            TRAINING_TIMEOUT_SECONDS));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    spec.commandLine().getErr().println("ipckit: " + e.getMessage());
                    spec.commandLine().getErr().flush();
                    return 1;
                }
            } else {
                flags.addAll(cdsFlags(Path.of("").toAbsolutePath(), JvmLauncher.classDataSharingDirectory()));
            }
        }
        for (String flag : flags) {
            out.println(flag);
        }
        out.flush();
        return 0;
    }

    /** A class path with {@code dir/*} entries expanded to their jars, in name order, as java expands them. */
    static String expand(String cp) {
        List<String> out = new ArrayList<>();
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            if (entry.endsWith("*")) {
                Path dir = Path.of(entry.substring(0, entry.length() - 1));
                try (java.util.stream.Stream<Path> jars = java.nio.file.Files.list(dir)) {
                    jars.map(Path::toString).filter(n -> n.endsWith(".jar") || n.endsWith(".JAR")).sorted()
                            .forEach(out::add);
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("cannot list " + dir + " of the class path: " + e);
                }
            } else if (!entry.isEmpty()) {
                out.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    /**
     * The JVM keeps the archive itself: it maps it when it matches the JVM's classpath and writes it
     * anew at exit when it does not (the first run, a changed classpath). CDS's own log lines (a
     * mismatch, classes it skips) are turned off so that the program prints only its own output.
     */
    public static List<String> cdsFlags(Path projectDir, Path cacheDir) {
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
