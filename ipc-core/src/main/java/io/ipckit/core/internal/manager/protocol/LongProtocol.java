package io.ipckit.core.internal.manager.protocol;

/**
 * The operations of a shared long ({@code SharedLong} &rarr; {@code LongHandler}): only its creation; its
 * operations work on the mapped values file in the calling process.
 * Shared by the client-side handle, which sends these codes, and the server-side handler, which switches
 * on them; the codes are wire format (see {@link Operation}). Immutable; any thread.
 *
 * <pre>
 * code  operation  args  reply
 *    0  CREATE  -  the long's slot in the values file (an Integer)
 * </pre>
 */
public enum LongProtocol implements Operation {
    CREATE(0, "create");

    private static final Operation[] BY_CODE = Operation.byCode(values());

    private final int code;
    private final String label;

    LongProtocol(int code, String label) {
        this.code = code;
        this.label = label;
    }

    @Override
    public Kind kind() {
        return Kind.LONG;
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
    public static LongProtocol of(int code) {
        return code >= 0 && code < BY_CODE.length ? (LongProtocol) BY_CODE[code] : null;
    }
}
