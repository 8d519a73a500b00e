package io.ipckit.core.internal.manager.protocol;

/**
 * The operations of a shared event ({@code SharedEvent} &rarr; {@code EventHandler}).
 * Shared by the client-side handle, which sends these codes, and the server-side handler, which switches
 * on them; the codes are wire format (see {@link Operation}). Immutable; any thread.
 *
 * <pre>
 * code  operation  args                        reply
 *    0  CREATE  -                           null
 *    1  SET     -                           null; wakes every waiter
 *    2  CLEAR   -                           null
 *    3  IS_SET  -                           boolean
 *    4  AWAIT   millis (at most one slice)  true as soon as the flag is set, false when the time passed first
 * </pre>
 */
public enum EventProtocol implements Operation {
    CREATE(0, "create"),
    SET(1, "set"),
    CLEAR(2, "clear"),
    IS_SET(3, "isSet"),
    AWAIT(4, "await");

    private static final Operation[] BY_CODE = Operation.byCode(values());

    private final int code;
    private final String label;

    EventProtocol(int code, String label) {
        this.code = code;
        this.label = label;
    }

    @Override
    public Kind kind() {
        return Kind.EVENT;
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
    public static EventProtocol of(int code) {
        return code >= 0 && code < BY_CODE.length ? (EventProtocol) BY_CODE[code] : null;
    }
}
