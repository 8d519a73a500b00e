package io.ipckit.core.internal.manager.handlers;

import io.ipckit.core.internal.manager.ObjectHandler;
import io.ipckit.core.internal.manager.Protocol.Request;
import io.ipckit.core.internal.manager.ServerContext;
import io.ipckit.core.internal.manager.Session;

/** PLACEHOLDER: replaced by the implementation of the "condition" kind. */
public final class ConditionHandler implements ObjectHandler {
    public static final String KIND = "condition";
    private final LockHandler locks;

    public ConditionHandler(LockHandler locks) {
        this.locks = locks;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) {
        throw new UnsupportedOperationException("conditions are not implemented yet " + locks);
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) {
        throw new UnsupportedOperationException("conditions are not implemented yet");
    }
}
