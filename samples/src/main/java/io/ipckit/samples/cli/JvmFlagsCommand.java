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
                        + "itself, for this directory's program: about half the program's start-up CPU."})
final class JvmFlagsCommand implements Callable<Integer> {
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
            flags.addAll(cdsFlags(Path.of("").toAbsolutePath(), JvmLauncher.classDataSharingDirectory()));
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
