/**
 * One handler per kind of shared object, each run by the manager's dispatcher thread only; each switches
 * on its kind's protocol enum of {@code internal.manager.protocol}.
 */
package io.ipckit.core.internal.manager.server.handlers;
