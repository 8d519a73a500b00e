/**
 * Python's {@code Process}, {@code Pool} and {@code ProcessPoolExecutor} for the JVM, on ipckit's
 * channels. Not yet implemented: this module builds so that the layout of the project is in place.
 */
package io.ipckit.pool;
