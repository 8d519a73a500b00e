package io.ipckit.core.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every child JVM that {@link io.ipckit.core.JvmLauncher} starts.
 *
 * <p>Usage: {@code ChildMain <main class> [args...]}. When the system property {@value #PARENT_PID} names
 * a process, a daemon thread watches it and halts this JVM within {@value #WATCH_MILLIS} ms of that
 * process's death, so a child never outlives a killed parent (even {@code kill -9}). Then the real main
 * runs; an exception it throws is printed and the JVM exits with status 1, as {@code java} does.
 */
public final class ChildMain {
    /** System property: pid of the process whose death ends this JVM. */
    public static final String PARENT_PID = "ipckit.parent.pid";
    /** Exit status of a child that ends because its parent died. */
    public static final int PARENT_DIED_STATUS = 86;
    static final long WATCH_MILLIS = 250;

    private ChildMain() {
    }

    public static void main(String[] args) throws Throwable {
        Bootstrap.beforeChronicle();
        if (args.length == 0) {
            System.err.println("usage: ChildMain <main class> [args...]");
            System.exit(2);
        }
        watchParent();
        Method main;
        try {
            Class<?> type = Class.forName(args[0], true, ChildMain.class.getClassLoader());
            main = type.getMethod("main", String[].class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            System.err.println("ipckit child: cannot run " + args[0] + ": " + e
                    + " (is it on the classpath, with a public static void main(String[])?)");
            System.exit(2);
            return;
        }
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            e.getCause().printStackTrace();
            System.exit(1);
        }
    }

    private static void watchParent() {
        String pid = System.getProperty(PARENT_PID);
        if (pid == null || pid.isBlank()) {
            return;
        }
        ProcessWatch.onDeath(Long.parseLong(pid.trim()), WATCH_MILLIS, "ipckit-parent-watch", () -> {
            System.err.println("ipckit child: parent process " + pid + " died; exiting");
            Runtime.getRuntime().halt(PARENT_DIED_STATUS);
        });
    }
}
