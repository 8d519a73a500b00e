package io.ipckit.core;

import io.ipckit.core.internal.manager.ManagerClient;

/** PLACEHOLDER: replaced by the implementation. */
public final class SharedSemaphore {
    static SharedSemaphore create(ManagerClient client, String name, int permits, boolean bounded) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
