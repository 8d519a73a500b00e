/**
 * The manager: a process (or an embedded thread) that hosts shared objects for other processes. The
 * package is split by side of the process boundary:
 * <ul>
 * <li>{@code protocol}: what travels, shared by both sides: {@code Protocol} (the message flow and the
 * wire form of a request and a reply), {@code Kind} and one enum of operation codes per kind
 * ({@code MapProtocol}, {@code LockProtocol}...);</li>
 * <li>{@code client}: the side of the processes that use shared objects: {@code ManagerClient} (any
 * thread of the client), {@code HandleRef} (what a handle carries), {@code WaitSlices} (the
 * synchronizers' waits) and {@code ManagerWatch} (is the manager alive);</li>
 * <li>{@code server}: the manager's side: {@code ManagerServer} and its single dispatcher thread,
 * which runs every {@code ObjectHandler} of {@code server.handlers}; {@code ManagerMain}, the manager
 * JVM's main;</li>
 * <li>this package: what both sides (and other modules) use: the space's files ({@code ManagerLayout},
 * {@code ValueSlots}), {@code Remote} (exceptions from another process), {@code EmbeddedServers}, and
 * {@code Connections} (client side, see its note).</li>
 * </ul>
 */
package io.ipckit.core.internal.manager;
