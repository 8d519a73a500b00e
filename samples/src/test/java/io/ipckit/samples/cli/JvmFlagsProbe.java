package io.ipckit.samples.cli;

import io.ipckit.core.internal.JvmFlags;

/** Child main for the {@code jvm-flags} tests: prints what this JVM opens and exports to the class path. */
public final class JvmFlagsProbe {
    private JvmFlagsProbe() {
    }

    public static void main(String[] args) {
        Module unnamed = JvmFlagsProbe.class.getClassLoader().getUnnamedModule();
        Module base = Object.class.getModule();
        System.out.println("opens=" + JvmFlags.presentInThisJvm()
                + " exports=" + base.isExported("sun.nio.ch", unnamed)
                + " analytics=" + System.getProperty(JvmFlags.CHRONICLE_ANALYTICS));
    }
}
