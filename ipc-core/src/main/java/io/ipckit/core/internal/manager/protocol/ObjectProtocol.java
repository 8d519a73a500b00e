package io.ipckit.core.internal.manager.protocol;

/**
 * The operations of an object of the user's own type ({@code UserObjects} &rarr; {@code
 * UserObjectHandler}); arguments, results and factories travel as codec bytes inside the request or reply.
 * Shared by the client-side handle, which sends these codes, and the server-side handler, which switches
 * on them; the codes are wire format (see {@link Operation}). Immutable; any thread.
 *
 * <pre>
 * code  operation  args                                                                       reply
 *    0  CREATE  interface name, factory bytes                                              null (runs the factory on a new name)
 *    1  LOOKUP  interface name                                                             null when the object implements it, else why not
 *    2  INVOKE  declaring interface, method, parameter type names, argument bytes or null  result bytes, or null for a null/void result
 * </pre>
 */
public enum ObjectProtocol implements Operation {
    CREATE(0, "create"),
    LOOKUP(1, "lookup"),
    INVOKE(2, "invoke");

    private static final Operation[] BY_CODE = Operation.byCode(values());

    private final int code;
    private final String label;

    ObjectProtocol(int code, String label) {
        this.code = code;
        this.label = label;
    }

    @Override
    public Kind kind() {
        return Kind.OBJECT;
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
    public static ObjectProtocol of(int code) {
        return code >= 0 && code < BY_CODE.length ? (ObjectProtocol) BY_CODE[code] : null;
    }
}
