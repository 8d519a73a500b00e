package io.ipckit.core.internal.manager;

import io.ipckit.core.internal.manager.protocol.Protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The manager's files in its space (besides its channels), described here and nowhere else.
 *
 * <pre>
 * &lt;space&gt;/
 * ├── manager              properties: pid, token, server (true|false), started (epoch ms); written
 * │                        complete (temporary file, then rename) once the manager serves requests;
 * │                        pid {@link #STOPPED} once it stopped (the file stays in a durable space,
 * │                        whose next manager keeps the token)
 * ├── values               mapped slots of SharedLong objects, see {@link ValueSlots}
 * ├── manager.log          the error output of a server manager ({@code server(true)}), which does not
 * │                        keep its starter's; appended to by each server manager of a durable space
 * ├── queues               properties: one line per shared queue, {@code <name>=<maxsize>,<joinable>};
 * │                        rewritten complete on each new queue, read by a manager started again on
 * │                        the space to recover its queues
 * └── channels/
 *     ├── mgr.requests      requests of all clients ({@link Protocol})
 *     ├── mgr.reply.&lt;id&gt;    replies to one client
 *     └── q.&lt;name&gt;         the data of the shared queue &lt;name&gt;
 * </pre>
 *
 * An address names a manager: {@code ipckit:<space directory>#<token>}.
 *
 * <p>Shared by both sides (the manager writes these files, clients and tools read them). Any thread.
 */
public final class ManagerLayout {
    public static final String MANAGER_FILE = "manager";
    public static final String VALUES_FILE = "values";
    public static final String QUEUES_FILE = "queues";
    public static final String LOG_FILE = "manager.log";
    public static final String QUEUE_PREFIX = "q.";
    public static final String ADDRESS_SCHEME = "ipckit:";
    /** The pid in the manager file of a manager that stopped. */
    public static final long STOPPED = -1;

    private ManagerLayout() {
    }

    /** A new random access token (128 bits, hex). */
    public static String newToken() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static String address(Path dir, String token) {
        return ADDRESS_SCHEME + dir.toAbsolutePath() + "#" + token;
    }

    /** The directory of an address. */
    public static Path directoryOf(String address) {
        check(address);
        int hash = address.lastIndexOf('#');
        return Path.of(address.substring(ADDRESS_SCHEME.length(), hash));
    }

    /** The token of an address. */
    public static String tokenOf(String address) {
        check(address);
        return address.substring(address.lastIndexOf('#') + 1);
    }

    private static void check(String address) {
        if (address == null || !address.startsWith(ADDRESS_SCHEME) || address.lastIndexOf('#') <= ADDRESS_SCHEME.length()
                || address.endsWith("#")) {
            throw new IllegalArgumentException("not a manager address: " + address
                    + "; expected ipckit:<space directory>#<token>, as Manager.address() returns");
        }
    }

    /** What the manager file says. */
    public static final class Info {
        public final long pid;
        public final String token;
        public final boolean server;

        Info(long pid, String token, boolean server) {
            this.pid = pid;
            this.token = token;
            this.server = server;
        }
    }

    public static void write(Path spaceDir, long pid, String token, boolean server) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("token", token);
        p.setProperty("server", Boolean.toString(server));
        p.setProperty("started", Long.toString(System.currentTimeMillis()));
        writeProperties(spaceDir.resolve(MANAGER_FILE), p, "ipckit manager");
    }

    /** Writes {@code p} to {@code target} complete: a temporary file, then renamed over it. */
    public static void writeProperties(Path target, Properties p, String comment) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, comment);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The properties in {@code f}, or null when there is no such file. */
    public static Properties readProperties(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        }
        return p;
    }

    /** The manager file's content, or null when there is none (yet). */
    public static Info read(Path spaceDir) throws IOException {
        Properties p = readProperties(spaceDir.resolve(MANAGER_FILE));
        if (p == null) {
            return null;
        }
        return new Info(Long.parseLong(p.getProperty("pid")), p.getProperty("token"),
                Boolean.parseBoolean(p.getProperty("server")));
    }
}
