package io.ipckit.core.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Application class-data sharing for the JVMs ipckit starts (pool workers, the manager): most of their
 * start-up is loading Chronicle's and Kryo's classes, which a CDS archive maps instead (measured here: a
 * JVM that opens a channel and moves a message uses 0.8 s of CPU with an archive, 1.6 s without). The
 * first JVM of a role (worker, manager) on a classpath dumps a dynamic archive when it exits
 * ({@code -XX:ArchiveClassesAtExit}); later ones map it ({@code -XX:SharedArchiveFile}).
 *
 * <p>Archives live in {@code ~/.cache/ipckit/cds}, one per JDK, role and classpath (names, sizes and
 * dates of its jars), about 12 MB each. A starter (a pool, a manager's builder) that finds its archive
 * marks it used (its modification time); one that publishes a new archive deletes all but the
 * {@value #KEEP} most recently used, so rebuilding an
 * application's jars does not fill the cache. CDS needs a classpath of jars only: with a directory on it
 * (as in a build's test run) nothing is done. A JVM that cannot use an archive starts without it
 * ({@code -Xshare:auto}), and {@link #options()} turns CDS's own log lines off.
 *
 * <p>Not thread-safe: one thread (a pool's result thread, the thread starting a manager) uses an instance.
 */
public final class ClassDataSharing {
    /** Archives kept in the cache directory after a new one is published. */
    static final int KEEP = 8;
    /** CDS's log lines (a mismatched archive, an archive dumped at exit) would land in the child's output. */
    private static final String QUIET = "-Xlog:cds*=off";
    private final Path archive;
    private Path dumping;

    private ClassDataSharing(Path archive) {
        this.archive = archive;
    }

    /**
     * The archive of JVMs of {@code role} (their main class, say) on {@code classpath}; null when the
     * classpath cannot be archived (a directory on it) or the cache is not writable.
     */
    public static ClassDataSharing forClasspath(String role, String classpath) {
        return forClasspath(role, classpath, cacheDirectory());
    }

    /**
     * Where archives live, {@code ~/.cache/ipckit/cds}: those of ipckit's JVMs and those the user's own
     * JVMs keep there ({@code ipckit jvm-flags --cds}), pruned together. Any thread.
     */
    public static Path cacheDirectory() {
        return Path.of(System.getProperty("user.home"), ".cache", "ipckit", "cds");
    }

    /** As {@link #forClasspath(String, String)}, with archives in {@code dir}. */
    static ClassDataSharing forClasspath(String role, String classpath, Path dir) {
        try {
            List<Path> jars = jarsOf(classpath);
            if (jars == null || jars.isEmpty()) {
                return null;
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((System.getProperty("java.home") + "|" + System.getProperty("java.vm.version") + "|" + role + "|")
                    .getBytes(StandardCharsets.UTF_8));
            for (Path jar : jars) {
                BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
                sha.update((jar + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() + "|")
                        .getBytes(StandardCharsets.UTF_8));
            }
            String name = HexFormat.of().formatHex(sha.digest(), 0, 12) + ".jsa";
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                return null;
            }
            Path archive = dir.resolve(name);
            markUsed(archive); // when there is none yet, this fails quietly
            return new ClassDataSharing(archive);
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return null;
        }
    }

    /** Where the archive is (or will be). */
    public Path archive() {
        return archive;
    }

    /**
     * The JVM options for the next JVM to start: the archive when there is one, else (for the first of
     * them, when {@code mayDump}) the options that dump it at exit; pass them to {@link #childExited} when
     * that JVM has exited. A JVM whose exit this process may not see (a server manager) must not dump.
     */
    public List<String> options(boolean mayDump) {
        if (Files.isRegularFile(archive)) {
            return List.of(QUIET, "-XX:SharedArchiveFile=" + archive);
        }
        if (dumping == null && mayDump) {
            dumping = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + System.nanoTime() + ".tmp");
            return List.of(QUIET, "-XX:ArchiveClassesAtExit=" + dumping);
        }
        return List.of(QUIET);
    }

    /** As {@link #options(boolean) options(true)}. */
    public List<String> options() {
        return options(true);
    }

    /**
     * A JVM started with {@code itsOptions} exited: if it was dumping the archive and exited cleanly
     * ({@code clean}: status 0; a killed JVM may have left half an archive), publish the archive.
     */
    public void childExited(List<String> itsOptions, boolean clean) {
        if (dumping == null || !itsOptions.contains("-XX:ArchiveClassesAtExit=" + dumping)) {
            return;
        }
        Path tmp = dumping;
        dumping = null;
        try {
            if (clean && Files.isRegularFile(tmp) && Files.size(tmp) > 0 && !Files.exists(archive)) {
                Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE); // just written: the newest there
                prune(archive.getParent(), KEEP);
            }
        } catch (IOException e) {
            // another pool published it first, or the cache is gone: nothing lost
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // left for the next run to overwrite
            }
        }
    }

    private static void markUsed(Path archive) {
        try {
            Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException | RuntimeException e) {
            // read-only cache: the archive is still used, only pruning may pick it sooner
        }
    }

    /**
     * Deletes the archives of {@code dir} but the {@code keep} most recently used. A JVM that maps a deleted
     * archive keeps its mapping; a pool that wanted it starts its workers without it and dumps it again.
     */
    static void prune(Path dir, int keep) {
        List<Path> archives = new ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jsa")) {
            files.forEach(archives::add);
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (archives.size() <= keep) {
            return;
        }
        java.util.Map<Path, Long> used = new java.util.HashMap<>();
        for (Path a : archives) {
            try {
                used.put(a, Files.getLastModifiedTime(a).toMillis());
            } catch (IOException e) {
                used.put(a, 0L); // gone already, or unreadable: first to go
            }
        }
        archives.sort(java.util.Comparator.comparing((Path a) -> used.get(a)).reversed());
        for (Path old : archives.subList(keep, archives.size())) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                // another pool's cleanup, or a read-only cache: left as it is
            }
        }
    }

    /** The jars of the classpath, following manifest Class-Path entries; null when something is not a jar. */
    private static List<Path> jarsOf(String classpath) throws IOException {
        List<Path> out = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            if (!addJar(Path.of(entry).toAbsolutePath().normalize(), out, seen)) {
                return null;
            }
        }
        return out;
    }

    private static boolean addJar(Path jar, List<Path> out, Set<Path> seen) throws IOException {
        if (!seen.add(jar)) {
            return true;
        }
        if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
            return false;
        }
        out.add(jar);
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest m = jf.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp != null) {
                for (String ref : cp.trim().split("\\s+")) {
                    if (ref.isEmpty()) {
                        continue;
                    }
                    Path p;
                    try {
                        p = ref.startsWith("file:") ? Path.of(java.net.URI.create(ref))
                                : jar.resolveSibling(java.net.URLDecoder.decode(ref, StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        return false;
                    }
                    p = p.toAbsolutePath().normalize();
                    if (!Files.exists(p)) {
                        continue; // the JVM skips missing Class-Path entries, and so does CDS
                    }
                    if (!addJar(p, out, seen)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
