package io.ipckit.cluster;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The address of an ipckit cluster: {@code ipckit-cluster://NAME@host1:5701,host2:5701#TOKEN}.
 *
 * <p>NAME names the cluster (1 to 64 of {@code A-Z a-z 0-9 . _ -}, starting with a letter or digit); the
 * members are the {@code host:port} where the cluster's nodes listen (a host name, an IPv4 address or a
 * bracketed IPv6 address such as {@code [::1]:5701}; a port from 1 to 65535); TOKEN is the access token,
 * 32 lowercase hex digits (128 random bits, as an ipc-core manager address's token). Whoever has the
 * address has access to the cluster's data: the token derives the cluster's name on the wire and the
 * keys that seal every stored payload, so pass the address as a secret.
 *
 * <p>Immutable; any thread; no method blocks. {@link #toString()} gives back the parsed text.
 */
public final class ClusterAddress {
    /** The scheme that starts every cluster address. */
    public static final String SCHEME = "ipckit-cluster://";
    /** The expected form, quoted by every parse error. */
    public static final String FORM = SCHEME + "NAME@host1:port1,host2:port2#TOKEN";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]{2,45}]");
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final List<Member> members;
    private final String token;

    private ClusterAddress(String name, List<Member> members, String token) {
        this.name = name;
        this.members = List.copyOf(members);
        this.token = token;
    }

    /** One member's {@code host:port}; the host as written (an IPv6 host keeps its brackets). */
    public record Member(String host, int port) {
        /**
         * @throws IllegalArgumentException when the host or port is not valid
         */
        public Member {
            checkHost(Objects.requireNonNull(host, "host"), host + ":" + port);
            checkPort(port, host + ":" + port);
        }

        /** The host without IPv6 brackets, as a socket address wants it. */
        public String bareHost() {
            return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * Parses an address. Any thread.
     *
     * @throws IllegalArgumentException naming the bad part and the expected form
     * @throws NullPointerException when {@code address} is null
     */
    public static ClusterAddress parse(String address) {
        Objects.requireNonNull(address, "address");
        if (!address.startsWith(SCHEME)) {
            throw bad(address, "it does not start with " + SCHEME);
        }
        String rest = address.substring(SCHEME.length());
        int at = rest.indexOf('@');
        if (at < 0) {
            throw bad(address, "the cluster name and '@' are missing");
        }
        int hash = rest.lastIndexOf('#');
        if (hash < 0) {
            throw bad(address, "the '#TOKEN' part is missing");
        }
        if (hash < at) {
            throw bad(address, "'#TOKEN' must come after the members");
        }
        String name = rest.substring(0, at);
        String membersText = rest.substring(at + 1, hash);
        String token = rest.substring(hash + 1);
        checkName(name, address);
        checkToken(token, address);
        if (membersText.isEmpty()) {
            throw bad(address, "no member is listed between '@' and '#'");
        }
        List<Member> members = new ArrayList<>();
        for (String m : membersText.split(",", -1)) {
            members.add(parseMember(m, address));
        }
        return new ClusterAddress(name, members, token);
    }

    /**
     * A new address for the cluster {@code name} on {@code members}, with a fresh random token. Any thread.
     *
     * @throws IllegalArgumentException when the name is not valid or no member is given
     */
    public static ClusterAddress create(String name, List<Member> members) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(members, "members");
        checkName(name, name);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a cluster address needs at least one member host:port; expected "
                    + FORM);
        }
        return new ClusterAddress(name, members, newToken());
    }

    /** This address with a fresh random token: the same cluster name and members, another cluster. */
    public ClusterAddress withNewToken() {
        return new ClusterAddress(name, members, newToken());
    }

    /** This address with other members and the same name and token (the same cluster, seen from elsewhere). */
    public ClusterAddress withMembers(List<Member> newMembers) {
        Objects.requireNonNull(newMembers, "members");
        if (newMembers.isEmpty()) {
            throw new IllegalArgumentException("a cluster address needs at least one member host:port; expected "
                    + FORM);
        }
        return new ClusterAddress(name, newMembers, token);
    }

    /** A new random token: 128 bits as 32 lowercase hex digits. */
    public static String newToken() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The cluster's name, as written in the address. */
    public String name() {
        return name;
    }

    /** The members listed, in their order; immutable. */
    public List<Member> members() {
        return members;
    }

    /** The access token (a secret). */
    public String token() {
        return token;
    }

    /** The address with its token replaced by {@code ****}, for logs and error messages. */
    public String redacted() {
        return SCHEME + name + "@" + membersText() + "#****";
    }

    private String membersText() {
        return members.stream().map(Member::toString).collect(Collectors.joining(","));
    }

    /** The address text, which {@link #parse} reads back to an equal address. It contains the token. */
    @Override
    public String toString() {
        return SCHEME + name + "@" + membersText() + "#" + token;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterAddress a && a.name.equals(name) && a.members.equals(members)
                && a.token.equals(token);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, members, token);
    }

    private static Member parseMember(String text, String address) {
        if (text.isEmpty()) {
            throw bad(address, "an empty member between commas");
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0 || (text.startsWith("[") && colon < text.indexOf(']'))) {
            throw bad(address, "member '" + text + "' has no ':port'");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        checkHost(host, address);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw bad(address, "member '" + text + "' has port '" + portText + "', not a number from 1 to 65535");
        }
        checkPort(port, address);
        return new Member(host, port);
    }

    private static void checkName(String name, String address) {
        if (!NAME.matcher(name).matches()) {
            throw bad(address, "cluster name '" + name + "' is not 1 to 64 of A-Z a-z 0-9 . _ - starting with a"
                    + " letter or digit");
        }
    }

    private static void checkHost(String host, String address) {
        if (!(HOST.matcher(host).matches() || IPV6.matcher(host).matches())) {
            throw bad(address, "host '" + host + "' is not a host name, an IPv4 address or a bracketed IPv6"
                    + " address");
        }
    }

    private static void checkPort(int port, String address) {
        if (port < 1 || port > 65535) {
            throw bad(address, "port " + port + " is not from 1 to 65535");
        }
    }

    private static void checkToken(String token, String address) {
        if (!TOKEN.matcher(token).matches()) {
            throw bad(address, "the token is not 32 lowercase hex digits (it has " + token.length()
                    + " characters)");
        }
    }

    /** The error for a bad address; the token is never quoted. */
    private static IllegalArgumentException bad(String address, String what) {
        int hash = address.lastIndexOf('#');
        String shown = hash < 0 ? address : address.substring(0, hash) + "#****";
        return new IllegalArgumentException("not a cluster address: " + shown + ": " + what + "; expected " + FORM
                + " (make one with ClusterAddress.create or `ipckit node --cluster`)");
    }
}
