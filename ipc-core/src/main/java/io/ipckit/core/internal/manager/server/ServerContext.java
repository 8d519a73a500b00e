package io.ipckit.core.internal.manager.server;

import io.ipckit.core.internal.manager.protocol.Kind;

/** What a handler may do besides answering the request at hand. Server side: dispatcher thread only. */
public interface ServerContext {
    /** Sends the late reply of a {@link ObjectHandler#PENDING} call. */
    void reply(Session client, long callId, Object value);

    /** Sends the late failure of a {@link ObjectHandler#PENDING} call. */
    void fail(Session client, long callId, Throwable error);

    /** The handler of another kind (a condition needs its lock's handler). */
    ObjectHandler handler(Kind kind);

    /** The kind of an existing object, or null. */
    Kind kindOf(String name);

    /** The manager's space directory. */
    java.nio.file.Path directory();
}
