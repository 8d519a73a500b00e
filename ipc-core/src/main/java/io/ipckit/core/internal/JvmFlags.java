package io.ipckit.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags every ipckit JVM needs (Chronicle Queue on Java 17+, Kryo's lambda support), for the JDK
 * this JVM runs on.
 *
 * <p>The lists are written once, in the parent pom's {@code ipckit.jvm.flags} (every JDK) and
 * {@code ipckit.jvm.flags.jdk24} (added from JDK 24) properties; Maven filters them into
 * {@code jvm-flags.properties} next to this class, and Surefire's {@code argLine} uses the same
 * properties. Child JVMs started through {@link io.ipckit.core.JvmLauncher} run the same {@code java}, so
 * they get the flags of this JDK. Any thread.
 */
public final class JvmFlags {
    /** The system property Chronicle reads before it tries to reach the internet. */
    public static final String CHRONICLE_ANALYTICS = "chronicle.analytics.disable";

    /**
     * For the JVMs ipckit starts (the manager, pool workers): compile methods after three times the JDK's
     * invocation and loop counts. A boot runs much code a few hundred times (class loading, Chronicle's
     * and Kryo's set-up) that the default thresholds compile and then never run again; code that stays
     * hot (serving requests, running tasks) reaches the same compiled form a little later. Measured on the
     * first program (a manager and two workers): their CPU 2.23 s to 1.66 s.
     */
    public static final String LATER_JIT = "-XX:CompileThresholdScaling=3";
    private static final List<String> FLAGS = load(Runtime.version().feature());

    private JvmFlags() {
    }

    /** The flags for this JVM's JDK, in the order they are written in the pom. */
    public static List<String> flags() {
        return FLAGS;
    }

    /** True when this JVM runs with the opens ipckit needs (so it need not relaunch itself). */
    public static boolean presentInThisJvm() {
        Module unnamed = JvmFlags.class.getClassLoader().getUnnamedModule();
        Module base = Object.class.getModule();
        return base.isOpen("java.lang", unnamed) && base.isOpen("java.util", unnamed)
                && base.isOpen("java.lang.invoke", unnamed);
    }

    /** The flags for a JDK of that feature release (17, 21, 25...). */
    static List<String> load(int feature) {
        Properties p = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm-flags.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm-flags.properties is missing from ipc-core's jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>(split(p, "flags"));
        if (feature >= 24) {
            out.addAll(split(p, "flags.jdk24"));
        }
        return List.copyOf(out);
    }

    private static List<String> split(Properties p, String key) {
        String flags = p.getProperty(key, "").trim();
        if (flags.isEmpty() || flags.contains("${")) {
            throw new IllegalStateException("jvm-flags.properties was not filtered by Maven: " + key + "=" + flags);
        }
        return Arrays.asList(flags.split("\\s+"));
    }
}
