package io.ipckit.samples.cli;

import io.ipckit.core.Channel;
import io.ipckit.core.JvmLauncher;
import io.ipckit.core.Manager;
import io.ipckit.core.SharedLock;
import io.ipckit.core.SharedSemaphore;
import io.ipckit.core.Space;
import io.ipckit.core.internal.SpaceLayout;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.pool.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code ipckit} command line against real spaces in a temporary parent directory. */
@Timeout(120)
class IpckitCliTest extends LeakCheckingTest {
    @TempDir
    Path parent;

    private String out;
    private String err;

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = IpckitCli.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private Space spaceWithLetters() throws Exception {
        Space space = Space.builder().parent(parent).create();
        Channel<String> letters = space.channel("letters");
        for (String s : List.of("p", "y", "t")) {
            letters.put(s);
        }
        return space;
    }

    @Test
    void spaces_liveSpace_listedWithItsCreatorAlive() throws Exception {
        try (Space space = spaceWithLetters()) {
            assertEquals(0, run("spaces", "--dir", parent.toString()), err);
            String line = out.lines().filter(l -> l.startsWith(space.directory().toString())).findFirst().orElse("");
            assertTrue(line.contains(ProcessHandle.current().pid() + " (alive)"), out);
            assertTrue(line.trim().endsWith(" 1"), "one channel: " + out);
        }
    }

    @Test
    void inspect_channelWithThreeMessages_showsDepthThree() throws Exception {
        try (Space space = spaceWithLetters()) {
            space.<String>channel("letters").take();
            assertEquals(0, run("inspect", space.directory().toString()), err);
            String line = out.lines().filter(l -> l.startsWith("letters ")).findFirst().orElse("");
            assertTrue(line.matches("letters\\s+channel\\s+2\\s+unbounded\\s+3\\s+1\\s+.*"), out);
        }
    }

    @Test
    void top_twoRefreshes_showDepthAndThePutRateOfMessagesPutBetweenThem() throws Exception {
        try (Space space = spaceWithLetters()) {
            Channel<String> letters = space.channel("letters");
            Thread producer = new Thread(() -> {
                try {
                    Thread.sleep(1_500); // after the first refresh, before the second
                    for (int i = 0; i < 50; i++) {
                        letters.put("x");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.start();
            assertEquals(0, run("top", "--iterations", "2", "--interval", "3000", space.directory().toString()), err);
            producer.join(10_000);
            List<String> rows = out.lines().filter(l -> l.startsWith("letters ")).toList();
            assertEquals(2, rows.size(), out);
            assertTrue(rows.get(0).matches("letters\\s+3\\s+-\\s+-"), "first refresh: no rate yet: " + out);
            assertTrue(rows.get(1).matches("letters\\s+53\\s+\\d+\\s+0"), "second: 50 put since: " + out);
            assertTrue(Integer.parseInt(rows.get(1).trim().split("\\s+")[2]) > 0, out);
            assertEquals(2, run("top", "--interval", "5", space.directory().toString()));
            assertTrue(err.contains("at least 100 ms"), err);
        }
    }

    @Test
    void tail_waitingMessages_printedAndNotConsumed() throws Exception {
        try (Space space = spaceWithLetters()) {
            Channel<String> letters = space.channel("letters");
            assertEquals("p", letters.take());
            assertEquals(0, run("tail", space.directory() + "/letters"), err);
            assertEquals(List.of("y", "t"), out.lines().toList());
            assertEquals(2, letters.size());
            assertEquals(0, run("tail", "--all", space.directory() + "/letters"), err);
            assertEquals(List.of("p   (taken by pid " + ProcessHandle.current().pid() + ")", "y", "t"), out.lines().toList());
            assertEquals("y", letters.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void clean_deadCreator_removedAndLiveKept() throws Exception {
        java.lang.Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        Path dead = Files.createDirectory(parent.resolve("ipckit-dead"));
        Files.writeString(dead.resolve(SpaceLayout.MARKER), SpaceLayout.MARKER_CONTENT + "\ncreator-pid " + gone.pid() + "\n");
        Files.createDirectories(dead.resolve("channels/x"));
        try (Space live = spaceWithLetters()) {
            assertEquals(0, run("clean", "--dir", parent.toString()), err);
            assertFalse(Files.exists(dead), out);
            assertTrue(Files.isDirectory(live.directory()), out);
            assertEquals(3, live.<String>channel("letters").size());
            assertTrue(out.contains("removed " + dead), out);
        }
    }

    @Test
    void inspectAndTail_managerQueue_shownAsQueueWithItsManager() throws Exception {
        try (io.ipckit.core.Manager m = io.ipckit.core.Manager.embedded()) {
            io.ipckit.core.SharedQueue<Integer> q = m.queue("numbers");
            q.put(7);
            q.put(8);
            assertEquals(0, run("inspect", m.directory().toString()), err);
            assertTrue(out.contains("manager  " + ProcessHandle.current().pid() + " (alive)"), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("numbers\\s+queue\\s+2\\s+.*")), out);
            assertEquals(0, run("tail", m.directory() + "/numbers"), err);
            assertEquals(List.of("7", "8"), out.lines().toList());
            assertEquals(2, q.qsize());
        }
    }

    /** A user type for the manager: hosted there, called through a proxy. */
    public interface Greeter {
        String greet(String who);
    }

    /** The hosted implementation. */
    public static final class Hello implements Greeter {
        @Override
        public String greet(String who) {
            return "hello " + who;
        }
    }

    private String line(String name) {
        return out.lines().filter(l -> l.startsWith(name + " ")).reduce((a, b) -> b).orElse("<no line " + name + ">");
    }

    @Test
    void inspect_liveManagerProcess_listsEveryObjectWithTypeAndState() throws Exception {
        try (Manager m = Manager.start()) {
            m.<String, Integer>map("counts").putAll(Map.of("a", 1, "b", 2));
            m.<String>list("names").addAll(List.of("x", "y", "z"));
            SharedLock guard = m.lock("guard");
            m.lock("spare");
            SharedSemaphore slots = m.semaphore("slots", 3);
            m.event("ready").set();
            m.sharedLong("hits").addAndGet(5);
            m.value("mode", "fast");
            m.queue("jobs", 10);
            m.rlock("state");
            m.condition("changed", "state");
            m.barrier("meet", 2);
            m.register("greeter", Greeter.class, Hello::new);
            guard.lock();
            slots.acquire();
            try {
                assertEquals(0, run("inspect", m.directory().toString()), err);
            } finally {
                slots.release();
                guard.unlock();
            }
            long me = ProcessHandle.current().pid();
            assertTrue(line("counts").matches("counts\\s+map\\s+size 2"), out);
            assertTrue(line("names").matches("names\\s+list\\s+size 3"), out);
            assertTrue(line("guard").matches("guard\\s+lock\\s+held by thread \\d+ of pid " + me), out);
            assertTrue(line("spare").matches("spare\\s+lock\\s+free"), out);
            assertTrue(line("slots").matches("slots\\s+semaphore\\s+2 of 3 permits free, held by 1 client\\(s\\)"), out);
            assertTrue(line("ready").matches("ready\\s+event\\s+set"), out);
            assertTrue(line("hits").matches("hits\\s+long\\s+5"), out);
            assertTrue(line("mode").matches("mode\\s+value\\s+String fast"), out);
            assertTrue(line("jobs").matches("jobs\\s+queue\\s+maxsize 10"), out);
            assertTrue(line("state").matches("state\\s+lock\\s+reentrant, free"), out);
            assertTrue(line("changed").matches("changed\\s+condition\\s+on lock 'state'"), out);
            assertTrue(line("meet").matches("meet\\s+barrier\\s+0 of 2 parties waiting"), out);
            assertTrue(line("greeter").matches("greeter\\s+object\\s+.*Greeter \\(a .*Hello\\)"), out);
            assertTrue(out.contains("13 manager object(s)"), out);
            assertEquals("hello you", m.proxy("greeter", Greeter.class).greet("you"), "the manager goes on");
        }
    }

    @Test
    void inspect_managerKilled_saysDeadAndShowsTheFiles() throws Exception {
        try (Manager m = Manager.start()) {
            m.<Integer>queue("numbers").put(1);
            m.map("lost");
            ProcessHandle manager = ProcessHandle.of(m.pid()).orElseThrow();
            manager.destroyForcibly();
            manager.onExit().get(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            assertEquals(0, run("inspect", m.directory().toString()), err);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "did not wait for the dead manager");
            assertTrue(out.contains("manager dead"), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("numbers\\s+queue\\s+1\\s+.*")), out);
            assertFalse(out.contains("lost"), out);
        }
    }

    @Test
    void inspect_poolOfTwo_listsBothWorkersWithTheirPidsAndTasksDone() throws Exception {
        try (Pool pool = Pool.builder().processes(2).workerOutput(ProcessBuilder.Redirect.DISCARD)
                .startupTimeout(Duration.ofSeconds(60)).build()) {
            pool.awaitReady(Duration.ofSeconds(60)); // both workers up, so both are listed as idle
            List<Integer> items = IntStream.range(0, 30).boxed().collect(Collectors.toList());
            assertEquals(items, pool.map((Integer x) -> x, items, 1));
            assertEquals(0, run("inspect", pool.directory().toString()), err);
            Pattern worker = Pattern.compile("(\\d+)\\s+(\\d+)\\s+(\\w+)\\s+(\\d+)\\s+(\\S+)");
            Set<Long> pids = new HashSet<>();
            long done = 0;
            for (String l : out.lines().collect(Collectors.toList())) {
                Matcher w = worker.matcher(l);
                if (w.matches()) {
                    pids.add(Long.parseLong(w.group(2)));
                    assertEquals("idle", w.group(3), out);
                    done += Long.parseLong(w.group(4));
                    assertEquals("-", w.group(5), out);
                }
            }
            assertEquals(Set.copyOf(pool.workerPids()), pids, out);
            assertEquals(30, done, "one task message per item, each counted once: " + out);
            assertTrue(out.contains("2 pool worker(s)"), out);
            assertTrue(out.lines().anyMatch(l -> l.startsWith("pool-tasks ")), out);
        }
    }

    @Test
    void badArguments_usageAndExitTwo() {
        assertEquals(2, run("bogus"));
        assertTrue(err.contains("Unmatched argument at index 0: 'bogus'")
                && (err.contains("Usage: ipckit") || err.contains("Did you mean")), err);
        assertEquals(2, run());
        assertEquals(2, run("inspect"));
        assertTrue(err.contains("SPACE"), err);
        assertEquals(2, run("tail", "no-slash"));
        assertTrue(err.contains("SPACE/NAME"), err);
        assertEquals(2, run("spaces", "--nope"));
    }

    /** The node's "ready on" line (at most 90 s), or how its output ended. */
    private static String readyLine(java.lang.Process node) throws Exception {
        java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(node.getInputStream()));
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                for (String l = lines.readLine(); l != null; l = lines.readLine()) {
                    if (l.contains("ready on")) {
                        return l;
                    }
                }
                return "ended";
            } catch (java.io.IOException e) {
                return e.toString();
            }
        }).get(90, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(180)
    void node_startedWithoutIpckitsFlags_runsInAJvmThatHasThem_andLeavesWhenItsStarterIsStopped() throws Exception {
        int port = io.ipckit.cluster.internal.LoopbackPorts.free(1)[0];
        assertEquals(0, run("cluster-address", "cliflags", "127.0.0.1:" + port), err);
        String address = out.strip();
        // as the README tells users with their own classes: java -cp ipckit-cli.jar:app.jar ...IpckitCli node
        String java = ProcessHandle.current().info().command().orElse("java");
        java.lang.Process starter = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                IpckitCli.class.getName(), "node", "--cluster", address, "--workers", "1")
                .redirectErrorStream(true).start();
        try {
            String line = readyLine(starter);
            assertTrue(line.contains("ready on 127.0.0.1:" + port) && line.contains("1 worker(s)"), line);
            List<ProcessHandle> below = starter.descendants().collect(Collectors.toList());
            ProcessHandle node = below.stream().filter(h -> h.parent().map(pa -> pa.pid() == starter.pid()).orElse(false))
                    .findFirst().orElseThrow(() -> new AssertionError("the node runs in a JVM the starter started"));
            assertTrue(node.info().arguments().map(a -> List.of(a).contains("-Xmx256m")).orElse(true),
                    "the starter's own -X options go with it");
            try (Pool pool = Pool.builder().cluster(address).build()) {
                assertEquals(List.of(1, 4, 9), pool.map(x -> x * x, List.of(1, 2, 3)), "tasks ran on the node's worker");
            }
            starter.destroy(); // kill PID of the JVM the user started: the node leaves the cluster and exits
            assertTrue(starter.waitFor(IpckitCli.STOP_WAIT_SECONDS + 10, TimeUnit.SECONDS), "the starter exited");
            for (ProcessHandle h : below) {
                assertTrue(h.onExit().get(10, TimeUnit.SECONDS) != null && !h.isAlive(), "gone with the starter: " + h.pid());
            }
        } finally {
            starter.descendants().forEach(ProcessHandle::destroyForcibly);
            starter.destroyForcibly();
            starter.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void inspectAndTail_spaceOfAnotherDataFormat_inspectSaysSo_tailRefusesInOneLine() throws Exception {
        try (Space space = spaceWithLetters()) {
            Path marker = space.directory().resolve(SpaceLayout.MARKER);
            String ours = Files.readString(marker);
            Files.writeString(marker, ours.replace(SpaceLayout.DATA_FORMAT_LINE + SpaceLayout.DATA_FORMAT,
                    SpaceLayout.DATA_FORMAT_LINE + "9"));
            assertEquals(0, run("inspect", space.directory().toString()), err);
            assertTrue(out.contains("format   9, another ipckit build's: this build cannot read its messages"), out);
            assertTrue(out.lines().anyMatch(l -> l.startsWith("letters ")), "the files are still shown: " + out);
            assertEquals(1, run("tail", space.directory() + "/letters"));
            assertEquals(List.of("ipckit: cannot tail " + space.directory() + "/letters: its space's data format is 9,"
                    + " another ipckit build's: this build cannot read its messages or ask its manager; inspect it"
                    + " with the build that wrote it"), err.lines().toList());
            Files.writeString(marker, ours);
            assertEquals(0, run("inspect", space.directory().toString()), err);
            assertFalse(out.contains("format "), out);
        }
    }

    @Test
    void inspectAndTail_spaceGone_oneLineAndExitOne() throws Exception {
        Path dir;
        try (Space space = spaceWithLetters()) {
            dir = space.directory();
        }
        assertEquals(1, run("inspect", dir.toString()));
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("ipckit: no space at " + dir), err);
        assertEquals(1, run("tail", dir + "/letters"));
        assertEquals(1, err.lines().count(), err);
    }

    @Test
    @Timeout(30)
    void jvmFlags_printsTheRequiredFlagsOnePerLine() {
        assertEquals(0, run("jvm-flags"), err);
        assertEquals(JvmLauncher.requiredJvmFlags(), out.lines().toList());
        assertTrue(out.lines().anyMatch(l -> l.equals("--add-opens=java.base/java.lang=ALL-UNNAMED")), out);
        assertEquals("", err);
    }

    @Test
    @Timeout(60)
    void jvmFlags_asAnArgumentFile_givesAJvmTheOpensAndExports() throws Exception {
        assertEquals(0, run("jvm-flags"), err);
        Path args = Files.writeString(parent.resolve("ipckit.args"), out);
        String cp = System.getProperty("java.class.path");
        String java = JvmLauncher.javaExecutable().toString();
        assertEquals("opens=true exports=true analytics=true",
                probe(java, "@" + args, "-cp", cp, JvmFlagsProbe.class.getName()));
        // without the file the probe sees none of it: the check above is not vacuous
        assertEquals("opens=false exports=false analytics=null",
                probe(java, "-cp", cp, JvmFlagsProbe.class.getName()));
    }

    @Test
    @Timeout(300)
    void jvmFlags_cds_aJvmWritesItsArchiveThenMapsIt_printingNothingOfItsOwn() throws Exception {
        if (Runtime.version().feature() < 19) {
            jdk17Cds();
            return;
        }
        Path cache = Files.createDirectories(parent.resolve("cds"));
        List<String> cds = JvmFlagsCommand.cdsFlags(parent, cache);
        assertTrue(cds.contains("-XX:+AutoCreateSharedArchive"), cds.toString());
        Path archive = Path.of(cds.stream().filter(f -> f.startsWith("-XX:SharedArchiveFile="))
                .findFirst().orElseThrow().substring("-XX:SharedArchiveFile=".length()));
        // CDS wants jars only: a directory on the class path makes the JVM fail at exit (README says so)
        Path core = Path.of(io.ipckit.core.internal.JvmFlags.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(core), "ipc-core is a jar in a Maven build");
        Path probeJar = parent.resolve("probe.jar");
        String entry = JvmFlagsProbe.class.getName().replace('.', '/') + ".class";
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(Files.newOutputStream(probeJar));
             java.io.InputStream in = JvmFlagsProbe.class.getClassLoader().getResourceAsStream(entry)) {
            jar.putNextEntry(new java.util.jar.JarEntry(entry));
            in.transferTo(jar);
        }
        List<String> command = new java.util.ArrayList<>(List.of(JvmLauncher.javaExecutable().toString()));
        command.addAll(JvmLauncher.requiredJvmFlags());
        command.addAll(cds);
        command.addAll(List.of("-cp", probeJar + java.io.File.pathSeparator + core, JvmFlagsProbe.class.getName()));
        assertEquals("opens=true exports=true analytics=true", probeAll(command));
        assertTrue(Files.size(archive) > 0, "the first run wrote the archive");
        assertEquals("opens=true exports=true analytics=true", probeAll(command),
                "the second run maps it, and prints nothing but its own line");
        assertEquals(0, run("jvm-flags", "--cds"), err);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("-XX:SharedArchiveFile=")), out);
    }

    /**
     * JDK 17: {@code --cds} needs the class path; with it, a training run makes the archive, and a JVM started
     * with the printed flags and {@code -Xshare:on} (which fails when the archive cannot be mapped) runs.
     */
    private void jdk17Cds() throws Exception {
        assertEquals(2, run("jvm-flags", "--cds"));
        assertTrue(err.contains("--class-path"), err);
        Path probeJar = parent.resolve("probe.jar");
        String entry = JvmFlagsProbe.class.getName().replace('.', '/') + ".class";
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(Files.newOutputStream(probeJar));
             java.io.InputStream in = JvmFlagsProbe.class.getClassLoader().getResourceAsStream(entry)) {
            jar.putNextEntry(new java.util.jar.JarEntry(entry));
            in.transferTo(jar);
        }
        List<String> jars = new java.util.ArrayList<>(List.of(probeJar.toString()));
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (e.endsWith(".jar") && Files.isRegularFile(Path.of(e))) {
                jars.add(e);
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(jars.stream().anyMatch(j -> j.contains("ipc-core")),
                "ipc-core is a jar in a Maven build");
        String cp = String.join(java.io.File.pathSeparator, jars);
        Path cache = Files.createDirectories(parent.resolve("cds"));
        List<String> cds = CdsTrainingRun.flagsFor(cp, cp, cache, 170);
        Path archive = Path.of(cds.get(0).substring("-XX:SharedArchiveFile=".length()));
        assertTrue(Files.size(archive) > 0, "the training run wrote the archive");
        List<String> command = new java.util.ArrayList<>(List.of(JvmLauncher.javaExecutable().toString()));
        command.addAll(JvmLauncher.requiredJvmFlags());
        command.addAll(cds);
        command.add("-Xshare:on");
        command.addAll(List.of("-cp", cp, JvmFlagsProbe.class.getName()));
        assertEquals("opens=true exports=true analytics=true", probeAll(command),
                "the JVM maps the archive (-Xshare:on would fail otherwise) and prints nothing but its own line");
        long made = Files.getLastModifiedTime(archive).toMillis();
        assertEquals(cds, CdsTrainingRun.flagsFor(cp, cp, cache, 170), "kept: no second training run");
        assertTrue(Files.getLastModifiedTime(archive).toMillis() >= made);
        assertEquals(1, run("jvm-flags", "--cds", "--class-path", parent.toString()));
        assertTrue(err.contains("jars only"), err);
    }

    /** The probe's whole output, which must be its one line. */
    private static String probeAll(List<String> command) throws Exception {
        java.lang.Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), output);
            assertEquals(0, p.exitValue(), output);
            return output.strip();
        } finally {
            p.destroyForcibly();
        }
    }

    private static String probe(String... command) throws Exception {
        java.lang.Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), output);
            assertEquals(0, p.exitValue(), output);
            // JDK warnings (native access, sun.misc.Unsafe on newer JDKs) may precede the probe's line
            return output.lines().filter(l -> l.startsWith("opens=")).findFirst().orElse(output);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    @Timeout(150)
    void clusterAddressAndNode_aNodeStartedByTheCommandLine_servesAManagerConnectedToItsAddress() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertEquals(0, run("cluster-address", "clitest", "127.0.0.1:" + port), err);
        String address = out.strip();
        assertTrue(address.startsWith("ipckit-cluster://clitest@127.0.0.1:" + port + "#"), address);
        assertEquals(2, run("cluster-address", "clitest", "no-port"), "a member without a port is refused");

        java.lang.Process node = JvmLauncher.forMain(IpckitCli.class).args("node", "--cluster", address, "--workers", "1")
                .redirectErrorStream(true).start();
        try {
            String line = readyLine(node);
            assertTrue(line.contains("ready on 127.0.0.1:" + port) && !line.contains(address.substring(address.indexOf('#') + 1)),
                    "the ready line never shows the token: " + line);
            assertTrue(line.contains("1 worker(s)"), line);
            try (Manager m = Manager.connect(address)) {
                m.<String, Integer>map("m").put("a", 1);
                assertEquals(1, m.<String, Integer>map("m").get("a"));
            }
            try (Pool pool = Pool.builder().cluster(address).build()) {
                assertEquals(List.of(1, 4, 9), pool.map(x -> x * x, List.of(1, 2, 3)), "tasks ran on the node's worker");
            }
            assertEquals(0, run("inspect", address), err);
            assertTrue(out.contains("members  127.0.0.1:" + port), out);
            assertTrue(out.lines().anyMatch(l -> l.startsWith("node     127.0.0.1:" + port + " pid " + node.pid()
                    + ", 1 worker(s), pids [")), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("map\\s+m\\s+1")), out);
            node.destroy(); // SIGTERM: the node leaves the cluster and exits
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node exited on SIGTERM");
        } finally {
            node.destroyForcibly();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
