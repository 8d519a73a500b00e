package io.ipckit.core.internal.manager.protocol;

/**
 * The operations of a shared value ({@code SharedValue} &rarr; {@code ValueHandler}); each runs whole on
 * the dispatcher, the functions too.
 * Shared by the client-side handle, which sends these codes, and the server-side handler, which switches
 * on them; the codes are wire format (see {@link Operation}). Immutable; any thread.
 *
 * <pre>
 * code  operation        args                                           reply
 *    0  CREATE           initial value (ignored when the value exists)  null
 *    1  GET              -                                              the value
 *    2  SET              value                                          null
 *    3  GET_AND_SET      value                                          the previous value
 *    4  COMPARE_AND_SET  expected, new value                            whether set
 *    5  UPDATE_AND_GET   a function                                     the new value
 *    6  GET_AND_UPDATE   a function                                     the previous value
 * </pre>
 */
public enum ValueProtocol implements Operation {
    CREATE(0, "create"),
    GET(1, "get"),
    SET(2, "set"),
    GET_AND_SET(3, "getAndSet"),
    COMPARE_AND_SET(4, "compareAndSet"),
    UPDATE_AND_GET(5, "updateAndGet"),
    GET_AND_UPDATE(6, "getAndUpdate");

    private static final Operation[] BY_CODE = Operation.byCode(values());

    private final int code;
    private final String label;

    ValueProtocol(int code, String label) {
        this.code = code;
        this.label = label;
    }

    @Override
    public Kind kind() {
        return Kind.VALUE;
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
    public static ValueProtocol of(int code) {
        return code >= 0 && code < BY_CODE.length ? (ValueProtocol) BY_CODE[code] : null;
    }
}
