package io.ipckit.core.internal.manager.server;

import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.Protocol;
import io.ipckit.core.internal.manager.protocol.Protocol.Request;

/**
 * Serves one kind of shared object in the manager. All methods run on the manager's single dispatcher
 * thread, so a handler needs no locking; none may block.
 */
public interface ObjectHandler {
    /** Returned by {@link #handle} when the reply will be sent later through {@link ServerContext#reply}. */
    Object PENDING = new Object() {
        @Override
        public String toString() {
            return "PENDING";
        }
    };

    /** The kind this handler serves. */
    Kind kind();

    /**
     * Creates object {@code name} (called once per name, on its first {@code CREATE}).
     *
     * @param args the creation arguments the client sent (capacity, permits...)
     * @return the value returned to the creating client (often null)
     */
    Object create(String name, Object[] args, ServerContext ctx) throws Exception;

    /**
     * Called on every later {@code CREATE} of an existing name, to check the arguments agree.
     *
     * @throws IllegalArgumentException when they conflict with the object's
     */
    default Object reopen(String name, Object[] args, ServerContext ctx) throws Exception {
        return null;
    }

    /**
     * Serves one request of an existing object of this kind: {@code request.operation} is the operation
     * its codes name, one of this kind's protocol enum, never {@link Protocol#CREATE}.
     *
     * @return the reply value, or {@link #PENDING} when the reply comes later
     * @throws Exception sent to the client, which re-throws it
     */
    Object handle(Session client, Request request, ServerContext ctx) throws Exception;

    /**
     * A short, cheap description of object {@code name}'s state for {@code ipckit inspect} ("size 3",
     * "held by thread 1 of pid 42"...); empty when there is nothing to say. On the dispatcher thread.
     */
    default String describe(String name) {
        return "";
    }

    /**
     * Called once when a manager starts on a space a previous manager left (a durable space): registers
     * again the objects whose state outlives the manager (their files are in the space).
     *
     * @return the names of the objects recovered, all of this handler's kind
     */
    default java.util.Collection<String> recover(ServerContext ctx) throws Exception {
        return java.util.List.of();
    }

    /** Called every few milliseconds: expire timed waits. */
    default void onTick(long nowNanos, ServerContext ctx) {
    }

    /** Called when a client's process died or said goodbye: release what it held, drop its waiters. */
    default void onClientGone(Session client, ServerContext ctx) {
    }

    /**
     * What a durable manager's journal keeps of request {@code r}, which this handler just served without
     * an error: {@code r} itself when replaying it gives the same state (a put, a clear), another request
     * that does (a value's update journals the value it set), or null when {@code r} changed nothing a
     * later manager keeps (reads; and every kind whose state dies with the manager). On the dispatcher.
     */
    default Request journalEntry(Request r) {
        return null;
    }

    /**
     * The requests that, after the object's {@code CREATE}, rebuild object {@code name} as it is now: what
     * a compacted journal keeps of it. Empty for kinds not journaled. On the dispatcher.
     */
    default java.util.List<Request> image(String name) {
        return java.util.List.of();
    }
}
