package io.ipckit.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * One request about an object of the user's own type, sent by a client ({@link ClusterObjects}) to a node
 * through Hazelcast's executor service {@value #EXECUTOR} and run there by that node's {@link HostedObjects}.
 * What it carries and what it answers are sealed for the object's name ({@link #subject}), so only
 * processes with the cluster's token can read or forge them; the operation code and the name travel in the
 * clear, as every object name does.
 *
 * <pre>
 *   client (ClusterObjects)                          node (HostedObjects, an executor thread)
 *   REGISTER  seal{interface, factory bytes}   ──▶   runs the factory once, records the ObjectEntry
 *   LOOKUP    seal{interface}                  ──▶   the object exists and implements it?
 *   INVOKE    seal{interface, method, types, args} ▶ runs the method, one call at a time per object
 *             ◀── seal{status, value or error}      status MOVED: it is hosted by another live node
 * </pre>
 *
 * <p>Thread role: built on a caller thread; {@link #call()} on a node's executor thread.
 */
final class ObjectCall implements Callable<byte[]>, Serializable, HazelcastInstanceAware {
    private static final long serialVersionUID = 1L;
    /** The executor service the calls run on, on every node. */
    static final String EXECUTOR = "ipckit.objects";

    static final byte REGISTER = 1;
    static final byte LOOKUP = 2;
    static final byte INVOKE = 3;

    /** Reply statuses (the first element of the sealed answer). */
    static final int OK = 0;
    static final int FAILED = 1;
    static final int MOVED = 2;

    final byte op;
    final String name;
    final byte[] sealed;
    private transient HazelcastInstance node;

    ObjectCall(byte op, String name, byte[] sealed) {
        this.op = op;
        this.name = name;
        this.sealed = sealed;
    }

    /** The name payloads of object {@code name} are sealed for. */
    static String subject(String name) {
        return "object:" + name;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.node = hazelcastInstance;
    }

    @Override
    public byte[] call() {
        Object hosted = node.getUserContext().get(HostedObjects.CONTEXT_KEY);
        if (!(hosted instanceof HostedObjects)) {
            throw new IllegalStateException("this member of the cluster is not an ipckit node (no "
                    + HostedObjects.class.getSimpleName() + " in its user context): start nodes with ipckit node");
        }
        return ((HostedObjects) hosted).serve(node, this);
    }
}
