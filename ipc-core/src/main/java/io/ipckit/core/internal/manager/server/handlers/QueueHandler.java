package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.Channel;
import io.ipckit.core.Space;
import io.ipckit.core.internal.Names;
import io.ipckit.core.internal.SpaceLayout;
import io.ipckit.core.internal.manager.ManagerLayout;
import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;
import io.ipckit.core.internal.manager.server.ObjectHandler;
import io.ipckit.core.internal.manager.server.ServerContext;
import io.ipckit.core.internal.manager.server.Session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Registers shared queues. The manager only names a queue and creates its channel
 * ({@code channels/q.<name>} of the manager's space, capacity fixed there at creation); the messages go
 * straight between the processes through that channel, never through the manager. Creation arguments:
 * {@code maxsize} ({@code <= 0}: unbounded) and {@code joinable}; reopening a queue with others fails.
 * The queues' specs are kept in the space's {@link ManagerLayout#QUEUES_FILE} file, so that a manager
 * started again on the space recovers the queues, and the messages waiting in them.
 *
 * <p>Server side: runs on the manager's dispatcher thread only.
 */
public final class QueueHandler implements ObjectHandler {
    /** Longest queue name: its channel name, {@code q.<name>}, must be a valid channel name. */
    public static final int MAX_NAME_LENGTH = Names.MAX_LENGTH - ManagerLayout.QUEUE_PREFIX.length();

    private final Map<String, Spec> queues = new HashMap<>();

    @Override
    public Kind kind() {
        return Kind.QUEUE;
    }

    @Override
    public String describe(String name) {
        Spec s = queues.get(name);
        return (s.maxsize > 0 ? "maxsize " + s.maxsize : "unbounded") + (s.joinable ? ", joinable" : "");
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) {
        Spec spec = spec(args);
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("queue name \"" + name + "\" is " + name.length()
                    + " characters long; a queue name has at most " + MAX_NAME_LENGTH + " characters");
        }
        try (Space space = Space.open(ctx.directory())) {
            Channel.Builder<Object> b = space.channelBuilder(ManagerLayout.QUEUE_PREFIX + name);
            if (spec.maxsize > 0) {
                b.capacity(spec.maxsize);
            } else {
                b.unbounded();
            }
            b.open().close();
        }
        queues.put(name, spec);
        try {
            save(ctx.directory());
        } catch (IOException e) {
            queues.remove(name);
            throw new UncheckedIOException("cannot record queue '" + name + "' in " + ctx.directory() + ": " + e, e);
        }
        return null;
    }

    @Override
    public Collection<String> recover(ServerContext ctx) throws IOException {
        Properties p = ManagerLayout.readProperties(ctx.directory().resolve(ManagerLayout.QUEUES_FILE));
        if (p == null) {
            return List.of();
        }
        for (String name : p.stringPropertyNames()) {
            String[] v = p.getProperty(name).split(",");
            if (v.length != 2 || !Files.isDirectory(new SpaceLayout(ctx.directory())
                    .channelDir(ManagerLayout.QUEUE_PREFIX + name))) {
                continue; // a line of another version, or a queue whose files were removed by hand
            }
            queues.put(name, new Spec(Integer.parseInt(v[0].trim()), Boolean.parseBoolean(v[1].trim())));
        }
        return new ArrayList<>(queues.keySet());
    }

    private void save(Path dir) throws IOException {
        Properties p = new Properties();
        queues.forEach((name, spec) -> p.setProperty(name, spec.maxsize + "," + spec.joinable));
        ManagerLayout.writeProperties(dir.resolve(ManagerLayout.QUEUES_FILE), p, "ipckit shared queues: maxsize,joinable");
    }

    @Override
    public Object reopen(String name, Object[] args, ServerContext ctx) {
        Spec want = spec(args);
        Spec have = queues.get(name);
        if (!have.equals(want)) {
            throw new IllegalArgumentException("queue '" + name + "' exists as " + have + ", not as " + want
                    + "; open it as " + have.howToOpen(name) + ", or use another name");
        }
        return null;
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) {
        throw new UnsupportedOperationException("queue '" + r.name + "' has no operation " + r.operation.label()
                + " in the manager: its messages go straight through its channel");
    }

    private static Spec spec(Object[] args) {
        if (args.length < 2 || !(args[0] instanceof Number) || !(args[1] instanceof Boolean)) {
            throw new IllegalArgumentException("creating a queue needs arguments (int maxsize, boolean joinable)");
        }
        int maxsize = ((Number) args[0]).intValue();
        return new Spec(Math.max(0, maxsize), (Boolean) args[1]);
    }

    private static final class Spec {
        final int maxsize;
        final boolean joinable;

        Spec(int maxsize, boolean joinable) {
            this.maxsize = maxsize;
            this.joinable = joinable;
        }

        String howToOpen(String name) {
            String bound = maxsize > 0 ? ", " + maxsize : "";
            return (joinable ? "manager.joinableQueue(\"" : "manager.queue(\"") + name + "\"" + bound + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spec && ((Spec) o).maxsize == maxsize && ((Spec) o).joinable == joinable;
        }

        @Override
        public int hashCode() {
            return maxsize * 31 + (joinable ? 1 : 0);
        }

        @Override
        public String toString() {
            return (joinable ? "a joinable queue" : "a plain (not joinable) queue") + " with "
                    + (maxsize > 0 ? "maxsize " + maxsize : "no maxsize (unbounded)");
        }
    }
}
