package io.ipckit.core;

import io.ipckit.core.internal.manager.ManagerClient;

/** PLACEHOLDER: replaced by the implementation. */
public final class SharedBarrier {
    static SharedBarrier create(ManagerClient client, String name, int parties) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
