package io.ipckit.core.internal.manager.server.handlers;

import io.ipckit.core.SerializationException;
import io.ipckit.core.internal.manager.DispatcherThread;
import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.ObjectProtocol;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;
import io.ipckit.core.internal.manager.server.ObjectHandler;
import io.ipckit.core.internal.manager.server.ServerContext;
import io.ipckit.core.internal.manager.server.Session;
import io.ipckit.core.internal.objects.Host;
import io.ipckit.core.internal.objects.HostedObject;

import java.util.HashMap;
import java.util.Map;

/**
 * Hosts objects of the user's own types (Python's {@code BaseManager.register}). An object is made once,
 * here, by the factory its first registration sent; proxies call its methods by (declaring interface,
 * name, parameter types). Arguments, results and factories travel as codec bytes inside the request or
 * reply, so a class this JVM cannot decode or a result it cannot encode fails that one call with a
 * {@link SerializationException} and never touches the manager's channels. The object itself is a
 * {@link HostedObject}, as on a cluster node.
 *
 * <p>Calls run on the dispatcher thread, one at a time: calls on one object are serialized, and a long
 * method delays every other request of the manager until it returns. The operations, their arguments and
 * replies are listed in {@link ObjectProtocol}.
 */
public final class UserObjectHandler implements ObjectHandler {
    private final Map<String, HostedObject> objects = new HashMap<>();

    @Override
    public Kind kind() {
        return Kind.OBJECT;
    }

    @Override
    public String describe(String name) {
        return objects.get(name).describe();
    }

    @Override
    public Object create(String name, Object[] args, ServerContext ctx) throws Exception {
        objects.put(name, HostedObject.create(name, (String) args[0], (byte[]) args[1], host(ctx)));
        return null;
    }

    @Override
    public Object reopen(String name, Object[] args, ServerContext ctx) {
        objects.get(name).registerAgain((String) args[0]);
        return null; // get-or-create: the existing object stays, the new factory is not run
    }

    @Override
    public Object handle(Session client, Request r, ServerContext ctx) throws Exception {
        HostedObject h = objects.get(r.name);
        switch ((ObjectProtocol) r.operation) {
            case LOOKUP:
                return h.lookup((String) r.arg(0));
            case INVOKE:
                return h.invoke((String) r.arg(0), (String) r.arg(1), (String[]) r.arg(2), (byte[]) r.arg(3));
            default:
                throw new UnsupportedOperationException("object '" + r.name + "' has no operation " + r.operation.label());
        }
    }

    /** The manager, running the user's code on this dispatcher thread (so a call back into it fails at once). */
    private static Host host(ServerContext ctx) {
        return new Host("the manager", "the manager JVM", "start the manager with the classpath that holds it",
                new Host.Runner() {
                    @Override
                    public <T> T run(java.util.concurrent.Callable<T> code) throws Exception {
                        return DispatcherThread.call(ctx.directory(), code);
                    }
                });
    }
}
