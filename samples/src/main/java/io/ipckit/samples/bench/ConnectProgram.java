package io.ipckit.samples.bench;

import io.ipckit.core.Manager;

/**
 * {@code ConnectProgram <address>}: connects to a running manager and makes one call on a shared map,
 * then prints {@code connected <size>}. {@code bench --only manager.connect} starts it as a fresh JVM and
 * times it from the process start to that line ({@link FirstContactBench}).
 */
public final class ConnectProgram {
    private ConnectProgram() {
    }

    public static void main(String[] args) {
        try (Manager m = Manager.connect(args[0])) {
            System.out.println("connected " + m.map("x").size());
        }
    }
}
