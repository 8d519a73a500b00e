package io.ipckit.core;

import io.ipckit.core.internal.manager.ManagerClient;

/** PLACEHOLDER: replaced by the implementation. */
public final class SharedCondition {
    static SharedCondition create(ManagerClient client, String name, String lockName) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
