package io.ipckit.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags every ipckit JVM needs (Chronicle Queue on Java 17+, Kryo's lambda support).
 *
 * <p>The list is written once, in the parent pom's {@code ipckit.jvm.flags} property; Maven filters it
 * into {@code jvm-flags.properties} next to this class, and Surefire's {@code argLine} uses the same
 * property. Child JVMs started through {@link io.ipckit.core.JvmLauncher} get these flags.
 */
public final class JvmFlags {
    /** The system property Chronicle reads before it tries to reach the internet. */
    public static final String CHRONICLE_ANALYTICS = "chronicle.analytics.disable";

    private static final List<String> FLAGS = load();

    private JvmFlags() {
    }

    /** The flags, in the order they are written in the pom. */
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

    private static List<String> load() {
        Properties p = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm-flags.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm-flags.properties is missing from ipc-core's jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String flags = p.getProperty("flags", "").trim();
        if (flags.isEmpty() || flags.contains("${")) {
            throw new IllegalStateException("jvm-flags.properties was not filtered by Maven: " + flags);
        }
        return List.copyOf(Arrays.asList(flags.split("\\s+")));
    }
}
