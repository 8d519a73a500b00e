package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.MapProtocol;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;
import io.ipckit.core.internal.manager.server.ObjectHandler;
import io.ipckit.core.internal.manager.server.ServerContext;
import io.ipckit.core.internal.manager.server.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hosts shared maps: each operation runs whole on the dispatcher thread, so each is atomic. */
public final class MapHandler implements ObjectHandler {
    private final Map<String, Map<Object, Object>> maps = new HashMap<>();

    @Override
    public Kind kind() {
        return Kind.MAP;
    }

    @Override
    public String describe(String name) {
        return "size " + maps.get(name).size();
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) {
        maps.put(name, new LinkedHashMap<>());
        return null;
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) {
        Map<Object, Object> m = maps.get(r.name);
        switch ((MapProtocol) r.operation) {
            case GET:
                return m.get(r.arg(0));
            case GET_OR_DEFAULT:
                return m.getOrDefault(r.arg(0), r.arg(1));
            case PUT:
                return m.put(r.arg(0), r.arg(1));
            case PUT_IF_ABSENT:
                return m.putIfAbsent(r.arg(0), r.arg(1));
            case REMOVE:
                return m.remove(r.arg(0));
            case REMOVE_IF:
                return m.remove(r.arg(0), r.arg(1));
            case REPLACE:
                return m.replace(r.arg(0), r.arg(1));
            case REPLACE_IF:
                return m.replace(r.arg(0), r.arg(1), r.arg(2));
            case CONTAINS_KEY:
                return m.containsKey(r.arg(0));
            case CONTAINS_VALUE:
                return m.containsValue(r.arg(0));
            case SIZE:
                return m.size();
            case CLEAR:
                m.clear();
                return null;
            case PUT_ALL: {
                @SuppressWarnings("unchecked")
                Map<Object, Object> all = (Map<Object, Object>) r.arg(0);
                m.putAll(all);
                return null;
            }
            case SNAPSHOT:
                return new LinkedHashMap<>(m);
            case KEYS:
                return new ArrayList<>(m.keySet());
            default:
                throw new UnsupportedOperationException("map '" + r.name + "' has no operation " + r.operation.label());
        }
    }

    @Override
    public Request journalEntry(Request r) {
        switch ((MapProtocol) r.operation) {
            case PUT: case PUT_IF_ABSENT: case REMOVE: case REMOVE_IF: case REPLACE: case REPLACE_IF: case CLEAR:
            case PUT_ALL:
                return r;
            default:
                return null;
        }
    }

    @Override
    public java.util.List<Request> image(String name) {
        Map<Object, Object> m = maps.get(name);
        return m == null || m.isEmpty() ? java.util.List.of()
                : java.util.List.of(new Request(0, 0, MapProtocol.PUT_ALL, name, new Object[] {new LinkedHashMap<>(m)}));
    }
}
