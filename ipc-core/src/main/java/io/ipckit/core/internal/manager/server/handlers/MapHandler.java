package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.internal.manager.protocol.Protocol;
import io.ipckit.core.internal.manager.server.ObjectHandler;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;
import io.ipckit.core.internal.manager.server.ServerContext;
import io.ipckit.core.internal.manager.server.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hosts shared maps: each operation runs whole on the dispatcher thread, so each is atomic. */
public final class MapHandler implements ObjectHandler {
    public static final String KIND = "map";
    private final Map<String, Map<Object, Object>> maps = new HashMap<>();

    @Override
    public String kind() {
        return KIND;
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
        switch (r.op) {
            case "get":
                return m.get(r.arg(0));
            case "getOrDefault":
                return m.getOrDefault(r.arg(0), r.arg(1));
            case "put":
                return m.put(r.arg(0), r.arg(1));
            case "putIfAbsent":
                return m.putIfAbsent(r.arg(0), r.arg(1));
            case "remove":
                return m.remove(r.arg(0));
            case "removeIf":
                return m.remove(r.arg(0), r.arg(1));
            case "replace":
                return m.replace(r.arg(0), r.arg(1));
            case "replaceIf":
                return m.replace(r.arg(0), r.arg(1), r.arg(2));
            case "containsKey":
                return m.containsKey(r.arg(0));
            case "containsValue":
                return m.containsValue(r.arg(0));
            case "size":
                return m.size();
            case "clear":
                m.clear();
                return null;
            case "putAll": {
                @SuppressWarnings("unchecked")
                Map<Object, Object> all = (Map<Object, Object>) r.arg(0);
                m.putAll(all);
                return null;
            }
            case "snapshot":
                return new LinkedHashMap<>(m);
            case "keys":
                return new ArrayList<>(m.keySet());
            default:
                throw new UnsupportedOperationException("map '" + r.name + "' has no operation " + r.op);
        }
    }
}
