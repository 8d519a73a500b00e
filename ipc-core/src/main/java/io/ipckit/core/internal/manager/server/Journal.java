package io.ipckit.core.internal.manager.server;

import io.ipckit.core.Channel;
import io.ipckit.core.Space;
import io.ipckit.core.internal.Files2;
import io.ipckit.core.internal.SpaceLayout;
import io.ipckit.core.internal.channel.ChannelAccess;
import io.ipckit.core.internal.channel.ChannelScanner;
import io.ipckit.core.internal.manager.protocol.ManagerProtocol;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A durable manager's write-ahead journal of the objects whose state lives in its memory (maps, lists,
 * values, events): every change the dispatcher makes to them is appended, as a request, to a channel of the
 * space, so a manager that takes the space over after a crash ({@code kill -9} included) replays it and has
 * the objects as they were. Channels are memory-mapped, so what was appended survives the process, not the
 * machine (as the space's queues).
 *
 * <pre>
 *   channels/manager-journal-&lt;gen&gt;:  image requests ... COMMIT  change  change  change ...
 *                                     (the objects when it began)  (appended as they happen)
 * </pre>
 *
 * <p>A generation begins with an image of every object (its {@code CREATE}, then what rebuilds its state)
 * and a {@code COMMIT} mark; it is valid only with the mark. Opening replays the newest valid generation,
 * then compacts: writes a new generation from the objects replayed, and only once its mark is written
 * deletes the older ones; so a crash at any point leaves a valid generation. A generation that reaches
 * {@link #COMPACT_AFTER} changes is compacted the same way while the manager runs.
 *
 * <p>Dispatcher thread only (the constructor runs on the thread that builds the server, before the
 * dispatcher starts).
 */
final class Journal implements AutoCloseable {
    static final String PREFIX = "manager-journal-";
    /** Changes appended to one generation before it is compacted. */
    static final long COMPACT_AFTER = 1_000_000;
    private static final String COMMIT = "journal-commit";

    private final Space space;
    private final SpaceLayout layout;
    private Channel<Request> channel;
    private long generation;
    private long changes;

    /**
     * Opens the journal of {@code space}: replays its newest valid generation through {@code replay}, then
     * starts a new generation from {@code image} (asked after the replay).
     */
    Journal(Space space, Consumer<Request> replay, Supplier<List<Request>> image) {
        this.space = space;
        this.layout = new SpaceLayout(space.directory());
        List<Long> gens = generations();
        long replayed = -1;
        for (long g : gens) { // newest first
            if (replayIfValid(g, replay)) {
                replayed = g;
                break;
            }
        }
        this.generation = Math.max(replayed, gens.isEmpty() ? -1 : gens.get(0));
        begin(image.get());
    }

    /** Appends a change. On the dispatcher. */
    void record(Request r, Supplier<List<Request>> image) {
        channel.offer(r);
        if (++changes >= COMPACT_AFTER) {
            begin(image.get());
        }
    }

    /** Starts a new generation holding {@code image}, then deletes the older ones. */
    private void begin(List<Request> image) {
        long next = generation + 1;
        Channel<Request> c = space.<Request>channelBuilder(PREFIX + next).open();
        for (Request r : image) {
            c.offer(r);
        }
        c.offer(new Request(0, 0, ManagerProtocol.PING, COMMIT, new Object[0]));
        Channel<Request> old = channel;
        channel = c;
        generation = next;
        changes = 0;
        if (old != null) {
            old.close();
        }
        for (long g : generations()) {
            if (g < next) {
                delete(g);
            }
        }
    }

    private boolean replayIfValid(long gen, Consumer<Request> replay) {
        List<Request> entries = new ArrayList<>();
        boolean[] committed = {false};
        try (Channel<Request> c = space.<Request>channelBuilder(PREFIX + gen).open()) {
            ChannelAccess.get().view(c, -1, (index, r) -> {
                if (isCommit(r)) {
                    committed[0] = true;
                } else {
                    entries.add(r);
                }
                return ChannelScanner.CONTINUE;
            });
        } catch (RuntimeException e) {
            System.err.println("ipckit manager: journal generation " + gen + " of " + space.directory()
                    + " is unreadable, an older one is used: " + e);
            return false;
        }
        if (!committed[0]) {
            return false; // a compaction that did not finish: the generation before it holds the objects
        }
        for (Request r : entries) {
            if (r.undecodableArgs != null) {
                System.err.println("ipckit manager: a journaled " + r + " cannot be decoded in this JVM (is every"
                        + " class of its values on the classpath?); it is skipped: " + r.undecodableArgs);
                continue;
            }
            replay.accept(r);
        }
        return true;
    }

    private static boolean isCommit(Request r) {
        return r.kind == ManagerProtocol.PING.kind().code() && r.op == ManagerProtocol.PING.code()
                && COMMIT.equals(r.name);
    }

    /** The generations in the space, newest first. */
    private List<Long> generations() {
        List<Long> out = new ArrayList<>();
        Path dir = layout.channelsDir();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).forEach(n -> {
                try {
                    out.add(Long.parseLong(n.substring(PREFIX.length())));
                } catch (NumberFormatException ignored) {
                    // not a journal
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the journal of " + space.directory(), e);
        }
        out.sort(Comparator.reverseOrder());
        return out;
    }

    private void delete(long gen) {
        try {
            Files2.deleteRecursively(layout.channelDir(PREFIX + gen));
        } catch (IOException e) {
            System.err.println("ipckit manager: cannot delete journal generation " + gen + " of "
                    + space.directory() + " (the next compaction tries again): " + e);
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close();
        }
    }
}
