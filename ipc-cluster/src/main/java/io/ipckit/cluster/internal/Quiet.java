package io.ipckit.cluster.internal;

import com.hazelcast.config.Config;
import com.hazelcast.client.config.ClientConfig;

/**
 * Keeps Hazelcast silent: no logging (its default logs INFO to stderr through java.util.logging), no
 * phone-home, no banner, no shutdown-hook messages. Any thread.
 */
public final class Quiet {
    private Quiet() {
    }

    /**
     * Turns Hazelcast's logging off for this JVM unless the user chose a logging type (system property
     * {@code hazelcast.logging.type}): Hazelcast's static loggers read the system property, not the config.
     */
    public static void logging() {
        if (System.getProperty("hazelcast.logging.type") == null) {
            System.setProperty("hazelcast.logging.type", "none");
        }
    }

    public static void memberProperties(Config config) {
        config.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "none"));
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
        config.setProperty("hazelcast.jmx", "false");
    }

    public static void clientProperties(ClientConfig config) {
        config.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "none"));
        config.setProperty("hazelcast.client.statistics.enabled", "false");
        config.setProperty("hazelcast.client.metrics.enabled", "false");
    }
}
