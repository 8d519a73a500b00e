package io.ipckit.core.internal.manager.protocol;

/**
 * The operations of a shared condition ({@code SharedCondition} &rarr; {@code ConditionHandler}); each
 * needs the condition's lock held by the calling thread.
 * Shared by the client-side handle, which sends these codes, and the server-side handler, which switches
 * on them; the codes are wire format (see {@link Operation}). Immutable; any thread.
 *
 * <pre>
 * code  operation   args                                   reply
 *    0  CREATE      the name of its reentrant lock         null
 *    1  AWAIT       thread id, millis (at most one slice)  true when signalled, false when the time passed; answered once the lock is held again
 *    2  SIGNAL      thread id                              how many waiters it woke
 *    3  SIGNAL_ALL  thread id                              how many waiters it woke
 * </pre>
 */
public enum ConditionProtocol implements Operation {
    CREATE(0, "create"),
    AWAIT(1, "await"),
    SIGNAL(2, "signal"),
    SIGNAL_ALL(3, "signalAll");

    private static final Operation[] BY_CODE = Operation.byCode(values());

    private final int code;
    private final String label;

    ConditionProtocol(int code, String label) {
        this.code = code;
        this.label = label;
    }

    @Override
    public Kind kind() {
        return Kind.CONDITION;
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
    public static ConditionProtocol of(int code) {
        return code >= 0 && code < BY_CODE.length ? (ConditionProtocol) BY_CODE[code] : null;
    }
}
