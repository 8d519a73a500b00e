package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.internal.manager.ValueSlots;
import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;
import io.ipckit.core.internal.manager.server.ObjectHandler;
import io.ipckit.core.internal.manager.server.ServerContext;
import io.ipckit.core.internal.manager.server.Session;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Allocates the slots of shared longs in the space's values file ({@link ValueSlots}). The manager only
 * hands out slots: every operation on a long works on the mapped file in the process that calls it. The
 * {@code CREATE} reply is the long's slot (an {@code Integer}).
 *
 * <p>Server side: runs on the manager's dispatcher thread only.
 */
public final class LongHandler implements ObjectHandler {
    private final Map<String, Integer> slots = new HashMap<>();
    private ValueSlots values;

    @Override
    public Kind kind() {
        return Kind.LONG;
    }

    @Override
    public String describe(String name) {
        return values == null ? "" : Long.toString(values.get(slots.get(name)));
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) throws IOException {
        int slot = slots.size();
        if (slot >= ValueSlots.SLOTS) {
            throw new IllegalStateException("cannot create shared long '" + name + "': the manager of "
                    + ctx.directory() + " holds at most " + ValueSlots.SLOTS + " shared longs, all taken; "
                    + "reuse names, or keep counters in a SharedMap");
        }
        if (values == null) {
            values = ValueSlots.openOrCreate(ValueSlots.fileIn(ctx.directory()));
        }
        values.set(slot, 0L);
        slots.put(name, slot);
        return slot;
    }

    @Override
    public Object reopen(String name, Object[] args, ServerContext ctx) {
        return slots.get(name);
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) {
        throw new UnsupportedOperationException("shared long '" + r.name + "' has no operation " + r.operation.label()
                + " in the manager: its operations work on mapped memory in the calling process");
    }
}
