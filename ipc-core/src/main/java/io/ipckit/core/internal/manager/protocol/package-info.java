/**
 * The manager protocol, shared by the client side and the server side: the message flow and wire form
 * ({@link io.ipckit.core.internal.manager.protocol.Protocol}), the kinds of object and one enum of
 * operation codes per kind. Immutable types; any thread.
 */
package io.ipckit.core.internal.manager.protocol;
