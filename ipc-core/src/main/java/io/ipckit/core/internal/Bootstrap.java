package io.ipckit.core.internal;

import net.openhft.posix.internal.PosixAPIHolder;

/**
 * Readies a JVM for Chronicle before any Chronicle class loads, so that what ipckit does not use costs
 * no start-up time and prints nothing. Every ipckit entry point that may touch Chronicle calls
 * {@link #beforeChronicle()} first (the static initialisers of {@code Space}, {@code Manager} and
 * {@code ChannelFiles}, and {@code ChildMain}). A setting the user made (a system property given on the
 * command line, or a binding Chronicle already loaded) is always left as it is.
 *
 * <ul>
 *   <li>{@code chronicle.analytics.disable} and {@code chronicle.announcer.disable}: Chronicle would try to
 *       reach the internet and print a banner.</li>
 *   <li>{@code chronicle.disk.monitor.disable}: Chronicle's disk-space thread polls every queue's file
 *       system; ipckit's own {@code DiskGuard} checks free space where it matters, before appends. That
 *       thread is also Chronicle's only thread ipckit would start, and it needs {@code net.openhft:affinity},
 *       which ipc-core leaves out of its dependencies (its start-up cost, see ipc-core's pom): a program that
 *       turns the monitor on adds that library itself.</li>
 *   <li>Chronicle's POSIX binding: Chronicle loads it eagerly when its {@code Jvm} class initialises, through
 *       jnr-ffi, which generates classes at run time (measured: about 0.3 s of a JVM's boot, more of its
 *       CPU). Chronicle only uses it for features ipckit does not turn on ({@code msync} sync modes, the
 *       POSIX time provider, page pre-touching), so ipckit installs Chronicle's own no-op binding, the
 *       one Chronicle falls back to when jnr-ffi is missing. {@code DiskGuard}, which does need
 *       {@code fallocate}, loads the real binding itself when a file system runs short of room. A JVM whose
 *       own code needs Chronicle's native binding sets {@value #NATIVE_POSIX}{@code =true}.</li>
 *   <li>SLF4J (Chronicle logs through it): when no SLF4J provider is on the class path and the user chose
 *       none, SLF4J prints three warning lines in every JVM; ipckit selects SLF4J's no-operation provider
 *       explicitly, which is what SLF4J falls back to anyway, minus the lines. With a provider on the class
 *       path (logback, slf4j-simple...) nothing is changed and logging works as configured.</li>
 * </ul>
 *
 * <p>Safe for any thread; the work is done once per JVM.
 */
public final class Bootstrap {
    /** System property: {@code true} keeps Chronicle's native POSIX binding (jnr-ffi) in this JVM. */
    public static final String NATIVE_POSIX = "ipckit.chronicle.nativePosix";
    private static final String SLF4J_PROVIDER = "slf4j.provider";
    private static final String SLF4J_VERBOSITY = "slf4j.internal.verbosity";
    private static volatile boolean done;

    private Bootstrap() {
    }

    /** Does the work described above, once; later calls return at once. Any thread. */
    public static void beforeChronicle() {
        if (done) {
            return;
        }
        synchronized (Bootstrap.class) {
            if (done) {
                return;
            }
            setIfAbsent(JvmFlags.CHRONICLE_ANALYTICS, "true");
            setIfAbsent("chronicle.announcer.disable", "true");
            setIfAbsent("chronicle.disk.monitor.disable", "true");
            quietSlf4j();
            if (!Boolean.getBoolean(NATIVE_POSIX)) {
                useNoOpPosix();
            }
            done = true;
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static void quietSlf4j() {
        if (System.getProperty(SLF4J_PROVIDER) != null) {
            return;
        }
        ClassLoader loader = Bootstrap.class.getClassLoader();
        if (loader.getResource("META-INF/services/org.slf4j.spi.SLF4JServiceProvider") != null
                || loader.getResource("org/slf4j/impl/StaticLoggerBinder.class") != null // a 1.x binding
                || loader.getResource("org/slf4j/helpers/NOP_FallbackServiceProvider.class") == null) {
            return; // the user has a logging set-up (or an SLF4J too old to select a provider by name)
        }
        System.setProperty(SLF4J_PROVIDER, "org.slf4j.helpers.NOP_FallbackServiceProvider");
        setIfAbsent(SLF4J_VERBOSITY, "WARN"); // else SLF4J reports the explicit choice in one INFO line
    }

    private static void useNoOpPosix() {
        try {
            if (PosixAPIHolder.POSIX_API == null) {
                PosixAPIHolder.useNoOpPosixApi();
            }
        } catch (LinkageError e) {
            // a Chronicle version without this holder: it loads its own binding, only slower
        }
    }
}
