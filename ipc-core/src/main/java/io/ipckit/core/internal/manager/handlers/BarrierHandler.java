package io.ipckit.core.internal.manager.handlers;

import io.ipckit.core.internal.manager.ObjectHandler;
import io.ipckit.core.internal.manager.Protocol.Request;
import io.ipckit.core.internal.manager.ServerContext;
import io.ipckit.core.internal.manager.Session;

/** PLACEHOLDER: replaced by the implementation of the "barrier" kind. */
public final class BarrierHandler implements ObjectHandler {
    public static final String KIND = "barrier";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) {
        throw new UnsupportedOperationException("barrier objects are not implemented yet");
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) {
        throw new UnsupportedOperationException("barrier objects are not implemented yet");
    }
}
