package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.internal.manager.DispatcherThread;

import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;
import io.ipckit.core.internal.manager.protocol.ValueProtocol;
import io.ipckit.core.internal.manager.server.ObjectHandler;
import io.ipckit.core.internal.manager.server.ServerContext;
import io.ipckit.core.internal.manager.server.Session;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Hosts shared values: each operation runs whole on the dispatcher thread, so each is atomic, including
 * the function of {@code updateAndGet}/{@code getAndUpdate}, which travels from the client by the codec
 * and runs here. Creation argument: the initial value (ignored when the value exists).
 */
public final class ValueHandler implements ObjectHandler {
    private final Map<String, Object> values = new HashMap<>();

    @Override
    public Kind kind() {
        return Kind.VALUE;
    }

    @Override
    public String describe(String name) {
        Object v = values.get(name);
        String text = String.valueOf(v);
        return (v == null ? "" : v.getClass().getSimpleName() + " ") + (text.length() > 40 ? text.substring(0, 37) + "..." : text);
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) {
        values.put(name, args.length > 0 ? args[0] : null);
        return null;
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) throws Exception {
        String name = r.name;
        Object current = values.get(name);
        switch ((ValueProtocol) r.operation) {
            case GET:
                return current;
            case SET:
                values.put(name, r.arg(0));
                return null;
            case GET_AND_SET:
                values.put(name, r.arg(0));
                return current;
            case COMPARE_AND_SET:
                if (Objects.equals(current, r.arg(0))) {
                    values.put(name, r.arg(1));
                    return true;
                }
                return false;
            case UPDATE_AND_GET: {
                Object next = update(r, current, ctx);
                values.put(name, next);
                return next;
            }
            case GET_AND_UPDATE:
                values.put(name, update(r, current, ctx));
                return current;
            default:
                throw new UnsupportedOperationException("value '" + name + "' has no operation " + r.operation.label());
        }
    }

    @SuppressWarnings("unchecked")
    /** Runs the request's update function on {@code current}, as user code of this manager. */
    private static Object update(Request r, Object current, ServerContext ctx) throws Exception {
        Function<Object, Object> f = function(r);
        return DispatcherThread.call(ctx.directory(), () -> f.apply(current));
    }

    private static Function<Object, Object> function(Request r) {
        Object f = r.arg(0);
        if (!(f instanceof Function)) {
            throw new IllegalArgumentException(r + " needs a function, got " + (f == null ? "null" : f.getClass()));
        }
        return (Function<Object, Object>) f;
    }
}
