package io.ipckit.core;

import io.ipckit.core.internal.manager.ManagerClient;

/** PLACEHOLDER: replaced by the implementation of user types. */
final class UserObjects {
    private UserObjects() {
    }

    static <T> void register(ManagerClient client, String name, Class<T> type, SerializableSupplier<? extends T> factory) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static <T> T proxy(ManagerClient client, String name, Class<T> type) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
