package io.ipckit.core.test;

import io.ipckit.core.Manager;

/**
 * Child JVM, a program that starts a server manager for others and ends: starts one, puts
 * {@code kept.by = <own pid>} in it, prints {@code MANAGER <pid> <address>} on standard output and
 * something on standard error, detaches and returns from main.
 */
public final class ServerStarterMain {
    private ServerStarterMain() {
    }

    public static void main(String[] args) throws Exception {
        Manager m = Manager.builder().server(true).start();
        m.map("kept").put("by", ProcessHandle.current().pid());
        System.out.println("MANAGER " + m.pid() + " " + m.address());
        System.out.flush();
        System.err.println("starter: done");
        m.detach();
    }
}
