/**
 * The server side of the manager protocol: the dispatcher
 * ({@link io.ipckit.core.internal.manager.server.ManagerServer}), which alone runs the handlers of
 * {@code handlers}, and the manager JVM's main.
 */
package io.ipckit.core.internal.manager.server;
