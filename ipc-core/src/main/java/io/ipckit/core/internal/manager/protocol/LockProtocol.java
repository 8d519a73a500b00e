package io.ipckit.core.internal.manager.protocol;

/**
 * The operations of a shared lock ({@code SharedLock} &rarr; {@code LockHandler}). The owner of a hold is a
 * (client, thread id) pair.
 * Shared by the client-side handle, which sends these codes, and the server-side handler, which switches
 * on them; the codes are wire format (see {@link Operation}). Immutable; any thread.
 *
 * <pre>
 * code  operation     args                                           reply
 *    0  CREATE        boolean reentrant                              null; reopening as the other kind of lock fails
 *    1  ACQUIRE       thread id, millis (at most one slice; 0: try)  true when granted, false when the time passed first (late reply)
 *    2  RELEASE       thread id                                      null; IllegalMonitorStateException when the caller does not hold it
 *    3  IS_HELD_BY    thread id                                      boolean
 *    4  HOLD_COUNT    thread id                                      int
 *    5  IS_LOCKED     -                                              boolean
 *    6  QUEUE_LENGTH  -                                              int
 * </pre>
 */
public enum LockProtocol implements Operation {
    CREATE(0, "create"),
    ACQUIRE(1, "acquire"),
    RELEASE(2, "release"),
    IS_HELD_BY(3, "isHeldBy"),
    HOLD_COUNT(4, "holdCount"),
    IS_LOCKED(5, "isLocked"),
    QUEUE_LENGTH(6, "queueLength");

    private static final Operation[] BY_CODE = Operation.byCode(values());

    private final int code;
    private final String label;

    LockProtocol(int code, String label) {
        this.code = code;
        this.label = label;
    }

    @Override
    public Kind kind() {
        return Kind.LOCK;
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
    public static LockProtocol of(int code) {
        return code >= 0 && code < BY_CODE.length ? (LockProtocol) BY_CODE[code] : null;
    }
}
