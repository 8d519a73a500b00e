package io.ipckit.core.test;

import io.ipckit.core.Space;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Base of every test that touches processes, threads or spaces: after each test it checks that no
 * child JVM, no {@code ipckit-*} thread, no Hazelcast {@code hz.*} thread (a cluster member or client left
 * running) and no space directory is left behind, cleans up what it finds
 * and fails the test that left it (as Chronicle's own tests check for leaked resources).
 *
 * <p>A class may share one resource among its tests (a manager in its own JVM, a pool), made in its
 * {@code @BeforeAll} and closed in its {@code @AfterAll}: the child JVMs alive when its first test starts
 * belong to the class, are left alone by each test's check, and must be gone (within the grace period)
 * after its {@code @AfterAll}, else they are killed and the class fails.
 */
public abstract class LeakCheckingTest {
    private static final long GRACE_MILLIS = 5_000;

    /** The test class whose shared child JVMs {@link #classProcesses} holds. */
    private static Class<?> processesOf;
    /** Child JVMs made by the class's {@code @BeforeAll}, which live until its {@code @AfterAll}. */
    private static Set<Long> classProcesses = Set.of();
    /**
     * Prefixes ({@code hz.<instance>.}, {@code ipckit-client-<n>.}) of the threads of Hazelcast members and clients made by the class's
     * {@code @BeforeAll}: their pools start threads lazily during tests, which are not leaks of those tests.
     */
    private static Set<String> classHazelcast = Set.of();

    private Set<String> spacesBefore;
    private Set<String> threadsBefore;

    /** Kills what an earlier class left, before this class's own {@code @BeforeAll} starts anything. */
    @BeforeAll
    static void killLeftoverChildren() {
        processesOf = null;
        classProcesses = Set.of();
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    @BeforeEach
    final void recordResources() {
        if (processesOf != getClass()) {
            processesOf = getClass();
            classProcesses = liveDescendants().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
            classHazelcast = hazelcastThreads().stream().filter(n -> n.indexOf('.', 3) > 0)
                    .map(n -> n.substring(0, n.indexOf('.', 3) + 1)).collect(Collectors.toSet());
        }
        spacesBefore = spaceDirs();
        threadsBefore = ipckitThreads();
        liveDescendants().stream().filter(p -> !classProcesses.contains(p.pid())).forEach(ProcessHandle::destroyForcibly);
    }

    /** The class's shared child JVMs must end with its {@code @AfterAll} (which JUnit runs before this one). */
    @AfterAll
    static void checkClassProcessesEnded() throws Exception {
        long deadline = System.currentTimeMillis() + GRACE_MILLIS;
        List<ProcessHandle> alive = liveDescendants();
        while (!alive.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            alive = liveDescendants();
        }
        Set<String> hz = hazelcastThreads();
        while (!hz.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            hz = hazelcastThreads();
        }
        processesOf = null;
        classProcesses = Set.of();
        classHazelcast = Set.of();
        if (!hz.isEmpty()) {
            fail("threads still running after @AfterAll (a Hazelcast member or client not shut down?): " + hz);
        }
        if (!alive.isEmpty()) {
            String left = alive.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                    .collect(Collectors.joining("; "));
            for (ProcessHandle p : alive) {
                p.destroyForcibly();
                p.onExit().get(10, TimeUnit.SECONDS);
            }
            fail("child processes still running after @AfterAll: " + left);
        }
    }

    @AfterEach
    final void checkNoLeaks() throws Exception {
        List<String> problems = new ArrayList<>();
        long deadline = System.currentTimeMillis() + GRACE_MILLIS;
        List<ProcessHandle> alive = testDescendants();
        while (!alive.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            alive = testDescendants();
        }
        if (!alive.isEmpty()) {
            problems.add("child processes still running: " + alive.stream()
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).collect(Collectors.joining("; ")));
            for (ProcessHandle p : alive) {
                p.destroyForcibly();
                p.onExit().get(10, TimeUnit.SECONDS);
            }
        }
        Set<String> threads = testThreads();
        while (!threads.isEmpty() && !threadsBefore.containsAll(threads) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            threads = testThreads();
        }
        threads.removeAll(threadsBefore);
        if (!threads.isEmpty()) {
            problems.add("ipckit threads still running: " + threads);
        }
        Set<String> spaces = spaceDirs();
        spaces.removeAll(spacesBefore);
        if (!spaces.isEmpty()) {
            problems.add("space directories left on disk: " + spaces);
            for (String s : spaces) {
                deleteRecursively(Path.of(s));
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    /** Live child JVMs other than the class's shared ones. */
    private static List<ProcessHandle> testDescendants() {
        return liveDescendants().stream().filter(p -> !classProcesses.contains(p.pid())).collect(Collectors.toList());
    }

    private static List<ProcessHandle> liveDescendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).collect(Collectors.toList());
    }

    private static Set<String> hazelcastThreads() {
        Set<String> threads = ipckitThreads();
        threads.removeIf(n -> !isHazelcast(n));
        return threads;
    }

    /**
     * A thread of a Hazelcast member ({@code hz.<instance>.*}) or client ({@code <instance>.*}; ipckit names its
     * client instances {@code ipckit-client-*}).
     */
    private static boolean isHazelcast(String thread) {
        return thread.startsWith("hz.") || thread.startsWith("ipckit-client-");
    }

    /** ipckit and Hazelcast threads other than those of the class's shared Hazelcast instances. */
    private static Set<String> testThreads() {
        Set<String> threads = ipckitThreads();
        threads.removeIf(n -> classHazelcast.stream().anyMatch(n::startsWith));
        return threads;
    }

    private static Set<String> ipckitThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("ipckit") || n.startsWith("hz."))
                .filter(n -> !n.equals("ipckit-cluster-exit-watch")) // one daemon per JVM once a cluster client was made
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Space directories created by this JVM or one of its live children (their marker names the
     * creator): other test runs on the same machine may create spaces of their own meanwhile.
     */
    private static Set<String> spaceDirs() {
        Set<Long> ours = ProcessHandle.current().descendants().map(ProcessHandle::pid)
                .collect(Collectors.toCollection(java.util.HashSet::new));
        ours.add(ProcessHandle.current().pid());
        Set<String> found = new TreeSet<>();
        for (Path parent : List.of(Space.defaultParent(), Path.of(System.getProperty("java.io.tmpdir")))) {
            try (Stream<Path> entries = Files.list(parent)) {
                entries.filter(p -> p.getFileName().toString().startsWith("ipckit-"))
                        .filter(p -> ours.contains(new io.ipckit.core.internal.SpaceLayout(p).creatorPid()))
                        .forEach(p -> found.add(p.toString()));
            } catch (IOException e) {
                // unreadable parent: nothing of ours there
            }
        }
        return found;
    }

    /** Deletes a directory tree; for tests cleaning up after themselves. */
    protected static void deleteRecursively(Path dir) throws IOException {
        io.ipckit.core.internal.Files2.deleteRecursively(dir);
    }
}
