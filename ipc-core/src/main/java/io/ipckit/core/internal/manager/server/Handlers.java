package io.ipckit.core.internal.manager.server;

import io.ipckit.core.internal.manager.server.handlers.BarrierHandler;
import io.ipckit.core.internal.manager.server.handlers.ConditionHandler;
import io.ipckit.core.internal.manager.server.handlers.EventHandler;
import io.ipckit.core.internal.manager.server.handlers.ListHandler;
import io.ipckit.core.internal.manager.server.handlers.LockHandler;
import io.ipckit.core.internal.manager.server.handlers.LongHandler;
import io.ipckit.core.internal.manager.server.handlers.MapHandler;
import io.ipckit.core.internal.manager.server.handlers.QueueHandler;
import io.ipckit.core.internal.manager.server.handlers.SemaphoreHandler;
import io.ipckit.core.internal.manager.server.handlers.UserObjectHandler;
import io.ipckit.core.internal.manager.server.handlers.ValueHandler;

import java.util.List;

/**
 * Every kind of object the manager hosts: one handler each. Server side; called by the thread that builds
 * a manager.
 */
public final class Handlers {
    private Handlers() {
    }

    /** Fresh handlers for one manager. */
    public static List<ObjectHandler> all() {
        LockHandler locks = new LockHandler();
        return List.of(
                new MapHandler(),
                new ListHandler(),
                new QueueHandler(),
                locks,
                new SemaphoreHandler(),
                new ConditionHandler(locks),
                new EventHandler(),
                new BarrierHandler(),
                new LongHandler(),
                new ValueHandler(),
                new UserObjectHandler());
    }
}
