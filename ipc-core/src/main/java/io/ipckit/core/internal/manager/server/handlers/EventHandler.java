package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.internal.manager.protocol.EventProtocol;
import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;
import io.ipckit.core.internal.manager.server.ObjectHandler;
import io.ipckit.core.internal.manager.server.ServerContext;
import io.ipckit.core.internal.manager.server.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hosts shared events (Python's {@code Event}): a flag, initially clear, that waiters wait for.
 *
 * <p>The operations and their codes are {@link EventProtocol}'s. Operations (args): {@code set()} wakes every
 * waiter; {@code clear()}; {@code isSet()}; {@code await(millis)} answers true as soon as the flag is set,
 * false when {@code millis} (at most one slice) passed first.
 *
 * <p>Server side: runs on the manager's dispatcher thread only.
 */
public final class EventHandler implements ObjectHandler {
    private final Map<String, EventState> events = new HashMap<>();
    private final Set<EventState> waiting = new LinkedHashSet<>();

    @Override
    public Kind kind() {
        return Kind.EVENT;
    }

    @Override
    public String describe(String name) {
        EventState e = events.get(name);
        return (e.flag ? "set" : "clear") + Waiter.waiting(e.waiters.size());
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) {
        events.put(name, new EventState());
        return null;
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) {
        EventState e = events.get(r.name);
        switch ((EventProtocol) r.operation) {
            case SET:
                e.flag = true;
                for (Waiter w : e.waiters) {
                    ctx.reply(w.session, w.callId, Boolean.TRUE);
                }
                e.waiters.clear();
                waiting.remove(e);
                return null;
            case CLEAR:
                e.flag = false;
                return null;
            case IS_SET:
                return e.flag;
            case AWAIT: {
                long millis = Waiter.longArg(r.arg(0), "millis");
                if (e.flag) {
                    return Boolean.TRUE;
                }
                if (millis <= 0) {
                    return Boolean.FALSE;
                }
                e.waiters.add(new Waiter(client, r.callId, 0, System.nanoTime(), millis));
                waiting.add(e);
                return PENDING;
            }
            default:
                throw new UnsupportedOperationException("event '" + r.name + "' has no operation " + r.operation.label());
        }
    }

    @Override
    public void onTick(long nowNanos, ServerContext ctx) {
        for (Iterator<EventState> it = waiting.iterator(); it.hasNext(); ) {
            EventState e = it.next();
            for (Iterator<Waiter> w = e.waiters.iterator(); w.hasNext(); ) {
                Waiter waiter = w.next();
                if (waiter.expired(nowNanos)) {
                    w.remove();
                    ctx.reply(waiter.session, waiter.callId, Boolean.FALSE);
                }
            }
            if (e.waiters.isEmpty()) {
                it.remove();
            }
        }
    }

    @Override
    public void onClientGone(Session client, ServerContext ctx) {
        for (EventState e : events.values()) {
            e.waiters.removeIf(w -> w.of(client));
        }
    }

    private static final class EventState {
        final List<Waiter> waiters = new ArrayList<>();
        boolean flag;
    }

    @Override
    public Request journalEntry(Request r) {
        EventProtocol op = (EventProtocol) r.operation;
        return op == EventProtocol.SET || op == EventProtocol.CLEAR ? r : null;
    }

    @Override
    public java.util.List<Request> image(String name) {
        EventState e = events.get(name);
        return e != null && e.flag ? java.util.List.of(new Request(0, 0, EventProtocol.SET, name, new Object[0]))
                : java.util.List.of();
    }
}
