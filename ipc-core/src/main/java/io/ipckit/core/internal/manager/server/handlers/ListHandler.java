package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.ListProtocol;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;
import io.ipckit.core.internal.manager.server.ObjectHandler;
import io.ipckit.core.internal.manager.server.ServerContext;
import io.ipckit.core.internal.manager.server.Session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Hosts shared lists: each operation runs whole on the dispatcher thread, so each is atomic. Each list
 * carries a version, raised by every change, so a client can read a versioned snapshot
 * ({@code versioned}), compute a change in its own process (with a predicate or comparator that need
 * not travel) and apply it only if nobody changed the list in between ({@code replaceIf},
 * {@code setIf}, {@code removeAtIf}, {@code insertIf}).
 */
public final class ListHandler implements ObjectHandler {
    private final Map<String, Held> lists = new HashMap<>();

    /** A list and its version. */
    private static final class Held {
        final ArrayList<Object> items = new ArrayList<>();
        long version;

        /** Records a change; returns the new version. */
        long changed() {
            return ++version;
        }
    }

    @Override
    public Kind kind() {
        return Kind.LIST;
    }

    @Override
    public String describe(String name) {
        return "size " + lists.get(name).items.size();
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) {
        lists.put(name, new Held());
        return null;
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) {
        Held h = lists.get(r.name);
        ArrayList<Object> l = h.items;
        switch ((ListProtocol) r.operation) {
            case GET:
                return l.get(index(r, 0, l.size()));
            case SET: {
                Object previous = l.set(index(r, 0, l.size()), r.arg(1));
                h.changed();
                return previous;
            }
            case ADD:
                l.add(r.arg(0));
                h.changed();
                return true;
            case INSERT:
                l.add(position(r, 0, l.size()), r.arg(1));
                h.changed();
                return null;
            case REMOVE_AT: {
                Object removed = l.remove(index(r, 0, l.size()));
                h.changed();
                return removed;
            }
            case REMOVE:
                if (l.remove(r.arg(0))) {
                    h.changed();
                    return true;
                }
                return false;
            case INDEX_OF:
                return l.indexOf(r.arg(0));
            case LAST_INDEX_OF:
                return l.lastIndexOf(r.arg(0));
            case CONTAINS:
                return l.contains(r.arg(0));
            case SIZE:
                return l.size();
            case CLEAR:
                if (!l.isEmpty()) {
                    l.clear();
                    h.changed();
                }
                return null;
            case ADD_ALL:
                return addAll(h, l.size(), collection(r, 0));
            case ADD_ALL_AT:
                return addAll(h, position(r, 0, l.size()), collection(r, 1));
            case REMOVE_RANGE: {
                int from = ((Number) r.arg(0)).intValue();
                int to = ((Number) r.arg(1)).intValue();
                if (from < 0 || to > l.size() || from > to) {
                    throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") out of bounds for list '"
                            + r.name + "' of length " + l.size());
                }
                if (from < to) {
                    l.subList(from, to).clear();
                    h.changed();
                }
                return null;
            }
            case SNAPSHOT:
                return new ArrayList<>(l);
            case VERSIONED:
                return new Object[] {h.version, new ArrayList<>(l)};
            case REPLACE_IF: {
                if (h.version != version(r)) {
                    return false;
                }
                l.clear();
                l.addAll(collection(r, 1));
                h.changed();
                return true;
            }
            case SET_IF:
                if (h.version != version(r)) {
                    return null;
                }
                l.set(index(r, 1, l.size()), r.arg(2));
                return h.changed();
            case REMOVE_AT_IF:
                if (h.version != version(r)) {
                    return null;
                }
                l.remove(index(r, 1, l.size()));
                return h.changed();
            case INSERT_IF:
                if (h.version != version(r)) {
                    return null;
                }
                l.add(position(r, 1, l.size()), r.arg(2));
                return h.changed();
            default:
                throw new UnsupportedOperationException("list '" + r.name + "' has no operation " + r.operation.label());
        }
    }

    private static boolean addAll(Held h, int at, Collection<Object> all) {
        if (all.isEmpty()) {
            return false;
        }
        h.items.addAll(at, all);
        h.changed();
        return true;
    }

    private static long version(Request r) {
        return ((Number) r.arg(0)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Collection<Object> collection(Request r, int arg) {
        return (Collection<Object>) r.arg(arg);
    }

    /** An index of an element: {@code 0 <= i < length}. */
    private static int index(Request r, int arg, int length) {
        int i = ((Number) r.arg(arg)).intValue();
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("index " + i + " out of bounds for list '" + r.name
                    + "' of length " + length);
        }
        return i;
    }

    /** A position to insert at: {@code 0 <= i <= length}. */
    private static int position(Request r, int arg, int length) {
        int i = ((Number) r.arg(arg)).intValue();
        if (i < 0 || i > length) {
            throw new IndexOutOfBoundsException("position " + i + " out of bounds for list '" + r.name
                    + "' of length " + length);
        }
        return i;
    }

    @Override
    public Request journalEntry(Request r) {
        switch ((ListProtocol) r.operation) {
            case SET: case ADD: case INSERT: case REMOVE_AT: case REMOVE: case CLEAR: case ADD_ALL: case ADD_ALL_AT:
            case REMOVE_RANGE: case REPLACE_IF: case SET_IF: case REMOVE_AT_IF: case INSERT_IF:
                return r;
            default:
                return null;
        }
    }

    @Override
    public java.util.List<Request> image(String name) {
        Held h = lists.get(name);
        return h == null || h.items.isEmpty() ? java.util.List.of()
                : java.util.List.of(new Request(0, 0, ListProtocol.ADD_ALL, name, new Object[] {new ArrayList<>(h.items)}));
    }
}
