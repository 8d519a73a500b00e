package io.ipckit.core;

import io.ipckit.core.internal.manager.ManagerClient;

/** PLACEHOLDER: replaced by the implementation. */
public final class SharedEvent {
    static SharedEvent create(ManagerClient client, String name) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
