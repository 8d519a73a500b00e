package io.ipckit.core.internal.manager.protocol;

/**
 * The operations of a shared barrier ({@code SharedBarrier} &rarr; {@code BarrierHandler}). A party is a
 * (client, thread id) pair whose arrival lasts across the slices of its wait.
 * Shared by the client-side handle, which sends these codes, and the server-side handler, which switches
 * on them; the codes are wire format (see {@link Operation}). Immutable; any thread.
 *
 * <pre>
 * code  operation       args                                                 reply
 *    0  CREATE          int parties                                          null
 *    1  AWAIT           thread id, timeout millis (&lt; 0: none), slice millis  the arrival index, or WAITING when the slice passed first
 *    2  CONTINUE        thread id, slice millis                              as AWAIT
 *    3  ABANDON         thread id                                            the index when the barrier tripped meanwhile, else WAITING (and the barrier breaks)
 *    4  RESET           -                                                    null
 *    5  ABORT           -                                                    null
 *    6  IS_BROKEN       -                                                    boolean
 *    7  NUMBER_WAITING  -                                                    int
 *    8  PARTIES         -                                                    int
 * </pre>
 */
public enum BarrierProtocol implements Operation {
    CREATE(0, "create"),
    AWAIT(1, "await"),
    CONTINUE(2, "continue"),
    ABANDON(3, "abandon"),
    RESET(4, "reset"),
    ABORT(5, "abort"),
    IS_BROKEN(6, "isBroken"),
    NUMBER_WAITING(7, "numberWaiting"),
    PARTIES(8, "parties");

    /** Answer of an await or continue whose slice passed before the barrier tripped: ask again. */
    public static final int WAITING = -1;

    private static final Operation[] BY_CODE = Operation.byCode(values());

    private final int code;
    private final String label;

    BarrierProtocol(int code, String label) {
        this.code = code;
        this.label = label;
    }

    @Override
    public Kind kind() {
        return Kind.BARRIER;
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
    public static BarrierProtocol of(int code) {
        return code >= 0 && code < BY_CODE.length ? (BarrierProtocol) BY_CODE[code] : null;
    }
}
