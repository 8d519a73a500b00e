package io.ipckit.core;

import io.ipckit.core.internal.manager.ManagerClient;

/** PLACEHOLDER: replaced by the implementation. */
public final class SharedQueue<E> {
    static <E> SharedQueue<E> create(ManagerClient client, String name, int maxsize, boolean joinable) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
