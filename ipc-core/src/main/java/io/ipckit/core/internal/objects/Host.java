package io.ipckit.core.internal.objects;

import java.util.concurrent.Callable;

/**
 * Where objects of the user's own types live, as their messages name it, and how their code runs there:
 * the manager (on its dispatcher thread) or a cluster node (one call at a time per object).
 *
 * @param place   the process, as a sentence names it: "the manager", "cluster node 10.0.0.1:5701"
 * @param jvm     its JVM, as a sentence names it: "the manager JVM", "the node's JVM"
 * @param fix     how to put classes on that JVM's classpath, as advice
 * @param runner  runs the user's code (a factory, a method) there and returns what it returned
 */
public record Host(String place, String jvm, String fix, Runner runner) {
    /** Runs the user's code where it must run; what it throws goes to the caller as it is. */
    @FunctionalInterface
    public interface Runner {
        <T> T run(Callable<T> code) throws Exception;
    }
}
