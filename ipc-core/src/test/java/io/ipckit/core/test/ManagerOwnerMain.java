package io.ipckit.core.test;

import io.ipckit.core.Manager;

/**
 * Child JVM: {@code <server:true|false>} starts a manager (in its own JVM), prints
 * {@code MANAGER <pid> <address>} and sleeps, so a test can kill this owner.
 */
public final class ManagerOwnerMain {
    private ManagerOwnerMain() {
    }

    public static void main(String[] args) throws Exception {
        Manager m = Manager.builder().server(Boolean.parseBoolean(args[0])).start();
        m.map("owned").put("by", ProcessHandle.current().pid());
        System.out.println("MANAGER " + m.pid() + " " + m.address());
        System.out.flush();
        Thread.sleep(120_000);
    }
}
