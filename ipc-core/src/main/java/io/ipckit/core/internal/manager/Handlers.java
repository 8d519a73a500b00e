package io.ipckit.core.internal.manager;

import io.ipckit.core.internal.manager.handlers.BarrierHandler;
import io.ipckit.core.internal.manager.handlers.ConditionHandler;
import io.ipckit.core.internal.manager.handlers.EventHandler;
import io.ipckit.core.internal.manager.handlers.ListHandler;
import io.ipckit.core.internal.manager.handlers.LockHandler;
import io.ipckit.core.internal.manager.handlers.LongHandler;
import io.ipckit.core.internal.manager.handlers.MapHandler;
import io.ipckit.core.internal.manager.handlers.QueueHandler;
import io.ipckit.core.internal.manager.handlers.SemaphoreHandler;
import io.ipckit.core.internal.manager.handlers.UserObjectHandler;
import io.ipckit.core.internal.manager.handlers.ValueHandler;

import java.util.List;

/** Every kind of object the manager hosts: one handler each. */
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
