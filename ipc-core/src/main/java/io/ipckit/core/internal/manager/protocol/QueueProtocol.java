package io.ipckit.core.internal.manager.protocol;

/**
 * The operations of a shared queue ({@code SharedQueue} &rarr; {@code QueueHandler}): only its creation;
 * its messages go straight through its channel, never through the manager.
 * Shared by the client-side handle, which sends these codes, and the server-side handler, which switches
 * on them; the codes are wire format (see {@link Operation}). Immutable; any thread.
 *
 * <pre>
 * code  operation  args                                             reply
 *    0  CREATE  int maxsize (&lt;= 0: unbounded), boolean joinable  null; reopening with other arguments fails
 * </pre>
 */
public enum QueueProtocol implements Operation {
    CREATE(0, "create");

    private static final Operation[] BY_CODE = Operation.byCode(values());

    private final int code;
    private final String label;

    QueueProtocol(int code, String label) {
        this.code = code;
        this.label = label;
    }

    @Override
    public Kind kind() {
        return Kind.QUEUE;
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
    public static QueueProtocol of(int code) {
        return code >= 0 && code < BY_CODE.length ? (QueueProtocol) BY_CODE[code] : null;
    }
}
