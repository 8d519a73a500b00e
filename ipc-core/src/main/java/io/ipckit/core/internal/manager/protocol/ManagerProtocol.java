package io.ipckit.core.internal.manager.protocol;

/**
 * The manager's own operations ({@code ManagerClient} &rarr; {@code ManagerServer}); the object name is
 * {@code "-"}.
 * Shared by the client-side handle, which sends these codes, and the server-side handler, which switches
 * on them; the codes are wire format (see {@link Operation}). Immutable; any thread.
 *
 * <pre>
 * code  operation  args                      reply
 *    1  HELLO     access token, client pid  the manager's pid; the first request of every client (others are refused before it)
 *    2  BYE       -                         null; the manager forgets the client and releases what it held
 *    3  SHUTDOWN  -                         null; then the manager stops
 *    4  PING      -                         the manager's pid
 *    5  DESCRIBE  -                         a List&lt;String[]&gt; of {name, kind, state} sorted by name, the state being the handler's describe (what ipckit inspect shows); read-only
 * </pre>
 */
public enum ManagerProtocol implements Operation {
    HELLO(1, "hello"),
    BYE(2, "bye"),
    SHUTDOWN(3, "shutdown"),
    PING(4, "ping"),
    DESCRIBE(5, "describe");

    private static final Operation[] BY_CODE = Operation.byCode(values());

    private final int code;
    private final String label;

    ManagerProtocol(int code, String label) {
        this.code = code;
        this.label = label;
    }

    @Override
    public Kind kind() {
        return Kind.MANAGER;
    }

    @Override
    public int code() {
        return code;
    }

    @Override
    public String label() {
        return label;
    }

    /** The operation of {@code code}, or null when none has it. */
    public static ManagerProtocol of(int code) {
        return code >= 0 && code < BY_CODE.length ? (ManagerProtocol) BY_CODE[code] : null;
    }
}
