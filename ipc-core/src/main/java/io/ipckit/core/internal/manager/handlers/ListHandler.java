package io.ipckit.core.internal.manager.handlers;

import io.ipckit.core.internal.manager.ObjectHandler;
import io.ipckit.core.internal.manager.Protocol.Request;
import io.ipckit.core.internal.manager.ServerContext;
import io.ipckit.core.internal.manager.Session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Hosts shared lists: each operation runs whole on the dispatcher thread, so each is atomic. */
public final class ListHandler implements ObjectHandler {
    public static final String KIND = "list";
    private final Map<String, List<Object>> lists = new HashMap<>();

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe(String name) {
        return "size " + lists.get(name).size();
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) {
        lists.put(name, new ArrayList<>());
        return null;
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) {
        List<Object> l = lists.get(r.name);
        switch (r.op) {
            case "get":
                return l.get(index(r, 0, l.size()));
            case "set":
                return l.set(index(r, 0, l.size()), r.arg(1));
            case "add":
                return l.add(r.arg(0));
            case "insert":
                l.add(index(r, 0, l.size() + 1), r.arg(1));
                return null;
            case "removeAt":
                return l.remove(index(r, 0, l.size()));
            case "remove":
                return l.remove(r.arg(0));
            case "indexOf":
                return l.indexOf(r.arg(0));
            case "lastIndexOf":
                return l.lastIndexOf(r.arg(0));
            case "contains":
                return l.contains(r.arg(0));
            case "size":
                return l.size();
            case "clear":
                l.clear();
                return null;
            case "addAll": {
                @SuppressWarnings("unchecked")
                Collection<Object> all = (Collection<Object>) r.arg(0);
                return l.addAll(all);
            }
            case "snapshot":
                return new ArrayList<>(l);
            default:
                throw new UnsupportedOperationException("list '" + r.name + "' has no operation " + r.op);
        }
    }

    private static int index(Request r, int arg, int bound) {
        int i = ((Number) r.arg(arg)).intValue();
        if (i < 0 || i >= bound) {
            throw new IndexOutOfBoundsException("index " + i + " out of bounds for list '" + r.name
                    + "' of length " + (r.op.equals("insert") ? bound - 1 : bound));
        }
        return i;
    }
}
