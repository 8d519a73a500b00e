package io.ipckit.core;

import io.ipckit.core.internal.manager.ManagerClient;

/** PLACEHOLDER: replaced by the implementation. */
public final class SharedLock {
    static SharedLock create(ManagerClient client, String name, boolean reentrant) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
