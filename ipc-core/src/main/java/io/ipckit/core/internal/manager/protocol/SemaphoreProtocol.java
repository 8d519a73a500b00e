package io.ipckit.core.internal.manager.protocol;

/**
 * The operations of a shared semaphore ({@code SharedSemaphore} &rarr; {@code SemaphoreHandler}).
 * Shared by the client-side handle, which sends these codes, and the server-side handler, which switches
 * on them; the codes are wire format (see {@link Operation}). Immutable; any thread.
 *
 * <pre>
 * code  operation  args                                         reply
 *    0  CREATE     int permits, boolean bounded                 null; reopening with other arguments fails
 *    1  ACQUIRE    permits, millis (at most one slice; 0: try)  true when granted, false when the time passed first (late reply)
 *    2  RELEASE    permits                                      null
 *    3  AVAILABLE  -                                            int
 *    4  DRAIN      -                                            the permits taken
 * </pre>
 */
public enum SemaphoreProtocol implements Operation {
    CREATE(0, "create"),
    ACQUIRE(1, "acquire"),
    RELEASE(2, "release"),
    AVAILABLE(3, "available"),
    DRAIN(4, "drain");

    private static final Operation[] BY_CODE = Operation.byCode(values());

    private final int code;
    private final String label;

    SemaphoreProtocol(int code, String label) {
        this.code = code;
        this.label = label;
    }

    @Override
    public Kind kind() {
        return Kind.SEMAPHORE;
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
    public static SemaphoreProtocol of(int code) {
        return code >= 0 && code < BY_CODE.length ? (SemaphoreProtocol) BY_CODE[code] : null;
    }
}
