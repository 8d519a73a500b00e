package io.ipckit.core.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassDataSharingTest extends io.ipckit.core.test.LeakCheckingTest {
    @TempDir
    Path work;

    private Path jar(String name, String classPath) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        Path jar = work.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }

    @Test
    void forClasspath_directoryOnIt_isNotEligible() throws Exception {
        Path a = jar("a.jar", null);
        Path dir = Files.createDirectories(work.resolve("classes"));
        assertNull(ClassDataSharing.forClasspath("worker", a + File.pathSeparator + dir, work.resolve("cache")));
        Path b = jar("b.jar", "classes/");
        assertNull(ClassDataSharing.forClasspath("worker", b.toString(), work.resolve("cache")),
                "a directory named in a manifest Class-Path counts too");
    }

    @Test
    void options_firstWorkerDumpsThenTheArchiveIsUsed() throws Exception {
        Path a = jar("a.jar", "missing.jar");
        ClassDataSharing cds = ClassDataSharing.forClasspath("worker", a.toString(), work.resolve("cache"));
        assertNotNull(cds, "jars only (a missing Class-Path entry is skipped, as the JVM does)");
        List<String> dumper = cds.options();
        assertEquals(2, dumper.size());
        assertEquals("-Xlog:cds*=off", dumper.get(0), "CDS's own lines stay out of the child's output");
        assertTrue(dumper.get(1).startsWith("-XX:ArchiveClassesAtExit="), dumper.toString());
        assertEquals(List.of("-Xlog:cds*=off"), cds.options(), "one worker dumps, the others start without an archive");
        Path tmp = Path.of(dumper.get(1).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.write(tmp, new byte[] {1, 2, 3});
        cds.childExited(dumper, true);
        assertTrue(Files.isRegularFile(cds.archive()));
        assertEquals(List.of("-Xlog:cds*=off", "-XX:SharedArchiveFile=" + cds.archive()), cds.options());
        assertEquals(cds.archive(), ClassDataSharing.forClasspath("worker", a.toString(), work.resolve("cache")).archive(),
                "the same classpath maps to the same archive");
        assertTrue(!cds.archive().equals(ClassDataSharing.forClasspath("manager", a.toString(), work.resolve("cache"))
                .archive()), "each role has its own archive: it holds the classes that role loads");
    }

    @Test
    void childExited_killedWhileDumping_publishesNothing() throws Exception {
        ClassDataSharing cds = ClassDataSharing.forClasspath("worker", jar("a.jar", null).toString(), work.resolve("cache"));
        List<String> dumper = cds.options();
        Path tmp = Path.of(dumper.get(1).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.write(tmp, new byte[] {1, 2, 3});
        cds.childExited(dumper, false);
        assertTrue(Files.notExists(cds.archive()), "half an archive is never published");
        assertTrue(Files.notExists(tmp), "and not left behind");
        assertTrue(cds.options().get(1).startsWith("-XX:ArchiveClassesAtExit="), "the next JVM dumps again");
    }

    @Test
    void options_mayNotDump_startsWithoutArchiveAndLeavesTheDumpToAnother() throws Exception {
        ClassDataSharing cds = ClassDataSharing.forClasspath("manager", jar("a.jar", null).toString(), work.resolve("cache"));
        assertEquals(List.of("-Xlog:cds*=off"), cds.options(false), "a server manager's exit is not seen: it never dumps");
        assertTrue(cds.options(true).get(1).startsWith("-XX:ArchiveClassesAtExit="), "the next JVM still may");
    }

    @Test
    void workerExited_newArchivePublished_keepsOnlyTheMostRecentlyUsed() throws Exception {
        Path cache = Files.createDirectories(work.resolve("cache"));
        long now = System.currentTimeMillis();
        for (int i = 0; i < ClassDataSharing.KEEP + 2; i++) {
            Path old = cache.resolve("old" + i + ".jsa");
            Files.write(old, new byte[] {1});
            Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(now - 60_000L * (i + 1)));
        }
        Path unrelated = Files.write(cache.resolve("notes.txt"), new byte[] {1});
        ClassDataSharing cds = ClassDataSharing.forClasspath("worker", jar("a.jar", null).toString(), cache);
        List<String> dumper = cds.options();
        Files.write(Path.of(dumper.get(1).substring("-XX:ArchiveClassesAtExit=".length())), new byte[] {1, 2, 3});
        cds.childExited(dumper, true);

        assertTrue(Files.isRegularFile(cds.archive()), "the new archive stays");
        for (int i = 0; i < ClassDataSharing.KEEP - 1; i++) {
            assertTrue(Files.exists(cache.resolve("old" + i + ".jsa")), "recently used old" + i + " stays");
        }
        for (int i = ClassDataSharing.KEEP - 1; i < ClassDataSharing.KEEP + 2; i++) {
            assertTrue(Files.notExists(cache.resolve("old" + i + ".jsa")), "least recently used old" + i + " goes");
        }
        assertTrue(Files.exists(unrelated), "only archives are pruned");
    }

    @Test
    void forClasspath_archivePresent_marksItUsed() throws Exception {
        Path cache = work.resolve("cache");
        Path a = jar("a.jar", null);
        Path archive = ClassDataSharing.forClasspath("worker", a.toString(), cache).archive();
        Files.write(archive, new byte[] {1});
        Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(0));

        ClassDataSharing.forClasspath("worker", a.toString(), cache);

        assertTrue(Files.getLastModifiedTime(archive).toMillis() > 0, "a pool using an archive protects it from pruning");
    }
}
