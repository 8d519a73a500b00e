package io.ipckit.pool.internal.worker;

import io.ipckit.core.Codec;

/**
 * Main of the child JVM of an {@link io.ipckit.pool.Process}: {@code ProcessMain <name>}; reads the
 * encoded process from standard input and calls its {@code run()}. When {@code run()} ends, the JVM waits
 * for the non-daemon threads it started, as Python's child process and a plain {@code java} program do,
 * then exits: status 0 when {@code run()} returned, 1 when it threw (printed as Python prints it), 2 when
 * the process cannot be decoded. Runs on the child's main thread.
 */
public final class ProcessMain {
    private static volatile String name = "MainProcess";

    private ProcessMain() {
    }

    /** The name of the process this JVM runs, or "MainProcess" in a JVM that is not one. */
    public static String currentName() {
        return name;
    }

    public static void main(String[] args) throws Exception {
        name = args[0];
        byte[] payload = System.in.readAllBytes();
        io.ipckit.pool.Process p;
        try {
            p = (io.ipckit.pool.Process) Codec.defaults().decode(payload);
        } catch (RuntimeException | LinkageError e) {
            System.err.println("Process " + name + ": cannot decode the process to run: " + e);
            e.printStackTrace();
            System.exit(2);
            return;
        }
        int status = 0;
        try {
            p.run();
        } catch (Throwable t) {
            System.err.println("Process " + name + ":");
            t.printStackTrace();
            status = 1;
        }
        awaitNonDaemonThreads();
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** Joins every live non-daemon thread but this one, including those they start meanwhile. */
    static void awaitNonDaemonThreads() throws InterruptedException {
        Thread me = Thread.currentThread();
        while (true) {
            Thread other = null;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t != me && t.isAlive() && !t.isDaemon()) {
                    other = t;
                    break;
                }
            }
            if (other == null) {
                return;
            }
            other.join();
        }
    }
}
