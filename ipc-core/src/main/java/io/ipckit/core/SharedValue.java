package io.ipckit.core;

import io.ipckit.core.internal.manager.ManagerClient;

/** PLACEHOLDER: replaced by the implementation. */
public final class SharedValue<T> {
    static <T> SharedValue<T> create(ManagerClient client, String name, T initial) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
