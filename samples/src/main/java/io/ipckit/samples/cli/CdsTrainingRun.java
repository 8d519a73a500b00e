package io.ipckit.samples.cli;

import io.ipckit.core.JvmLauncher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ipckit jvm-flags --cds --class-path CP} on JDK 17 and 18, which cannot keep an archive themselves:
 * makes the program's class-data sharing archive now, with a training JVM on the program's class path
 * ({@code io.ipckit.core.internal.CdsTraining} under {@code -XX:ArchiveClassesAtExit}), unless one newer than
 * every jar of the class path is in the cache; and gives the flags that map it. The archive is named after
 * the JDK and the class path as written (a {@code dir/*} is expanded by each JVM the same way), so the
 * program's JVM, started with the same {@code -cp}, maps it. Runs on the calling thread; blocks for the
 * training run (seconds).
 */
public final class CdsTrainingRun {
    private CdsTrainingRun() {
    }

    /**
     * @param classPath the class path as the program's {@code java} gets it
     * @param expanded  the same with wildcards expanded: the jars it names
     * @throws IllegalArgumentException when an entry is not a jar (CDS archives jars only)
     * @throws IllegalStateException when the training run fails
     */
    public static List<String> flagsFor(String classPath, String expanded, Path cacheDir, long timeoutSeconds) {
        long newestJar = 0;
        for (String entry : expanded.split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("class-data sharing archives jars only, and " + entry + " of the class"
                        + " path is " + (Files.isDirectory(jar) ? "a directory: package it as a jar" : "missing"));
            }
            try {
                newestJar = Math.max(newestJar, Files.getLastModifiedTime(jar).toMillis());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + jar + ": " + e);
            }
        }
        Path archive = cacheDir.resolve("app" + Runtime.version().feature() + "-" + hash(classPath) + ".jsa");
        try {
            if (!Files.isRegularFile(archive) || Files.getLastModifiedTime(archive).toMillis() < newestJar) {
                train(classPath, archive, timeoutSeconds);
            } else {
                Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis())); // used: kept
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the archive " + archive + ": " + e, e);
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off");
    }

    private static void train(String classPath, Path archive, long timeoutSeconds) throws IOException {
        Files.createDirectories(archive.getParent());
        Path tmp = archive.resolveSibling(archive.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Path log = Files.createTempFile("ipckit-cds-training", ".log");
        try {
            Process p = JvmLauncher.forMain("io.ipckit.core.internal.CdsTraining").classpath(classPath)
                    .jvmOptions("-XX:ArchiveClassesAtExit=" + tmp, "-Xlog:cds*=off")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            boolean ended;
            try {
                ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ended = false;
            }
            if (!ended) {
                p.destroyForcibly();
                throw new IllegalStateException("the training run on " + classPath + " did not end within "
                        + timeoutSeconds + " s; its output:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(tmp)) {
                throw new IllegalStateException("the training run on " + classPath + " failed (exit " + p.exitValue()
                        + "; is ipc-core, with its dependencies, on that class path?); its output:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(log);
        }
    }

    private static String hash(String classPath) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest((System.getProperty("java.home") + "|"
                    + Runtime.version() + "|" + classPath).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
