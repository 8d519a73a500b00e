package io.ipckit.cluster.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hosts for cluster tests on this machine: {@code n} network namespaces, each joined by a veth pair to one
 * bridge in this (the test's) namespace, on a private /24 of 10.231.S.0 (S from this JVM's pid, so that
 * two test runs at once do not meet). The test JVM is at {@code 10.231.S.1}, namespace {@code i} at
 * {@link #ip(int)}; a JVM runs in it through {@link #exec(int)} ({@code ip netns exec}, which execs the
 * command). Cutting a namespace's link ({@link #linkDown}) is a host whose network died: no connection is
 * closed, nothing is said. Needs root and iproute2; {@link #create} says why when the machine does not
 * allow it, and {@link #close()} removes everything it made.
 *
 * <p>One thread (the test's).
 */
public final class NetNamespaces implements AutoCloseable {
    private final int subnet;
    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();
    private boolean bridge;

    private NetNamespaces(int subnet) {
        this.subnet = subnet;
        this.prefix = "ipk" + subnet;
    }

    /** Why namespaces cannot be made here, for a test to skip with. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String why) {
            super(why);
        }
    }

    /**
     * Makes the bridge and {@code n} namespaces.
     *
     * @throws Unavailable when not root, iproute2 is missing, or the kernel refuses (what was made is removed)
     */
    public static NetNamespaces create(int n) throws Unavailable {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new Unavailable("network namespaces need root (running as " + System.getProperty("user.name") + ")");
        }
        NetNamespaces nets = new NetNamespaces((int) (ProcessHandle.current().pid() % 250) + 1);
        try {
            nets.make(n);
            return nets;
        } catch (Unavailable e) {
            nets.close();
            throw e;
        }
    }

    private void make(int n) throws Unavailable {
        String br = prefix + "br";
        // no spanning tree and no forward delay: a port forwards as soon as it is up, so the members join
        run("ip", "link", "add", "name", br, "type", "bridge", "forward_delay", "0", "stp_state", "0");
        bridge = true;
        run("ip", "addr", "add", "10.231." + subnet + ".1/24", "dev", br);
        run("ip", "link", "set", br, "up");
        for (int i = 0; i < n; i++) {
            String ns = prefix + "ns" + i;
            run("ip", "netns", "add", ns);
            namespaces.add(ns);
            run("ip", "link", "add", hostEnd(i), "type", "veth", "peer", "name", prefix + "n" + i);
            run("ip", "link", "set", prefix + "n" + i, "netns", ns);
            run("ip", "link", "set", hostEnd(i), "master", br);
            run("ip", "link", "set", hostEnd(i), "up");
            run("ip", "netns", "exec", ns, "ip", "addr", "add", ip(i) + "/24", "dev", prefix + "n" + i);
            run("ip", "netns", "exec", ns, "ip", "link", "set", prefix + "n" + i, "up");
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        }
    }

    /** The address of namespace {@code i}. */
    public String ip(int i) {
        return "10.231." + subnet + "." + (i + 2);
    }

    /** The command prefix that runs a command in namespace {@code i}. */
    public List<String> exec(int i) {
        return List.of("ip", "netns", "exec", namespaces.get(i));
    }

    /**
     * Adds {@code millis} of delay to what leaves towards namespace {@code i} (tc netem).
     *
     * @return false when this kernel has no netem (nothing changed)
     */
    public boolean addDelay(int i, int millis) {
        try {
            run("tc", "qdisc", "add", "dev", hostEnd(i), "root", "netem", "delay", millis + "ms");
            run("ip", "netns", "exec", namespaces.get(i), "tc", "qdisc", "add", "dev", prefix + "n" + i, "root",
                    "netem", "delay", millis + "ms");
            return true;
        } catch (Unavailable e) {
            return false;
        }
    }

    /** Cuts namespace {@code i}'s link: its host's network is dead. */
    public void linkDown(int i) throws Unavailable {
        run("ip", "link", "set", hostEnd(i), "down");
    }

    /** Mends namespace {@code i}'s link. */
    public void linkUp(int i) throws Unavailable {
        run("ip", "link", "set", hostEnd(i), "up");
    }

    private String hostEnd(int i) {
        return prefix + "h" + i;
    }

    /** Removes the namespaces, their links and the bridge. Idempotent; never throws. */
    @Override
    public void close() {
        for (int i = 0; i < namespaces.size(); i++) {
            quietly("ip", "link", "del", hostEnd(i));
            quietly("ip", "netns", "del", namespaces.get(i));
        }
        namespaces.clear();
        if (bridge) {
            quietly("ip", "link", "del", prefix + "br");
            bridge = false;
        }
    }

    private static void quietly(String... command) {
        try {
            run(command);
        } catch (Unavailable ignored) {
            // gone already
        }
    }

    private static void run(String... command) throws Unavailable {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Unavailable(String.join(" ", command) + " did not finish in 10 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new Unavailable(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
            }
        } catch (IOException e) {
            throw new Unavailable(String.join(" ", command) + " cannot run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted running " + String.join(" ", command));
        }
    }
}
