/**
 * The client side of the manager protocol, run by the threads of the processes that use shared objects:
 * the connection ({@link io.ipckit.core.internal.manager.client.ManagerClient}), the references the
 * handles carry, the synchronizers' slice waits and the manager's liveness.
 */
package io.ipckit.core.internal.manager.client;
