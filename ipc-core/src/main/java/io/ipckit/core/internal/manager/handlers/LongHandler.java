package io.ipckit.core.internal.manager.handlers;

import io.ipckit.core.internal.manager.ObjectHandler;
import io.ipckit.core.internal.manager.Protocol.Request;
import io.ipckit.core.internal.manager.ServerContext;
import io.ipckit.core.internal.manager.Session;

/** PLACEHOLDER: replaced by the implementation of the "long" kind. */
public final class LongHandler implements ObjectHandler {
    public static final String KIND = "long";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) {
        throw new UnsupportedOperationException("long objects are not implemented yet");
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) {
        throw new UnsupportedOperationException("long objects are not implemented yet");
    }
}
