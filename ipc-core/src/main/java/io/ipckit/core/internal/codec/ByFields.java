package io.ipckit.core.internal.codec;

/**
 * Marks a class that the codec encodes field by field even though it is a {@code Map} or a
 * {@code Collection} (a shared-object handle is a map only as a view of remote state: what travels is
 * its reference, not its entries).
 */
public interface ByFields {
}
