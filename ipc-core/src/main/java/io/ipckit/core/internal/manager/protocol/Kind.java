package io.ipckit.core.internal.manager.protocol;

import java.util.function.Supplier;

/**
 * The kinds of object a manager hosts, each with its stable wire code and its protocol enum of
 * operations. {@link #MANAGER} is the manager itself (hello, bye, shutdown, describe). Immutable; any
 * thread.
 */
public enum Kind {
    MANAGER(0, "manager", ManagerProtocol::values),
    MAP(1, "map", MapProtocol::values),
    LIST(2, "list", ListProtocol::values),
    QUEUE(3, "queue", QueueProtocol::values),
    LOCK(4, "lock", LockProtocol::values),
    SEMAPHORE(5, "semaphore", SemaphoreProtocol::values),
    CONDITION(6, "condition", ConditionProtocol::values),
    EVENT(7, "event", EventProtocol::values),
    BARRIER(8, "barrier", BarrierProtocol::values),
    LONG(9, "long", LongProtocol::values),
    VALUE(10, "value", ValueProtocol::values),
    OBJECT(11, "object", ObjectProtocol::values);

    private static final Kind[] BY_CODE = new Kind[values().length];

    static {
        for (Kind k : values()) {
            if (BY_CODE[k.code] != null) {
                throw new IllegalStateException("kind code " + k.code + " is taken twice");
            }
            BY_CODE[k.code] = k;
            k.operations = Operation.byCode(k.declared.get());
        }
    }

    private final int code;
    private final String label;
    private final Supplier<Operation[]> declared;
    private Operation[] operations;

    Kind(int code, String label, Supplier<Operation[]> declared) {
        this.code = code;
        this.label = label;
        this.declared = declared;
    }

    /** The kind's code on the wire. */
    public int code() {
        return code;
    }

    /** The kind's name in messages and in {@code ipckit inspect} ("map", "lock"...). */
    public String label() {
        return label;
    }

    /**
     * The kind of {@code code}.
     *
     * @throws IllegalArgumentException naming the code when no kind has it (a client of another ipckit
     *                                  version, or a corrupt request)
     */
    public static Kind of(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new IllegalArgumentException("the manager has no object kind with code " + code + " (it knows "
                    + "codes 0 to " + (BY_CODE.length - 1) + "); do the client and the manager run the same ipckit"
                    + " version?");
        }
        return BY_CODE[code];
    }

    /**
     * The operation of this kind with {@code code}.
     *
     * @param name the object called, named in the message
     * @throws UnsupportedOperationException naming the kind, the object and the code when none has it
     */
    public Operation operation(int code, String name) {
        Operation op = code >= 0 && code < operations.length ? operations[code] : null;
        if (op == null) {
            throw new UnsupportedOperationException(label + " '" + name + "' has no operation with code " + code
                    + " (a " + label + " knows codes 0 to " + (operations.length - 1) + "); do the client and the"
                    + " manager run the same ipckit version?");
        }
        return op;
    }

    /** "map 'm'.put", or the raw codes when they name nothing. For messages; never throws. */
    public static String describe(int kindCode, int opCode, String name) {
        Kind k = kindCode >= 0 && kindCode < BY_CODE.length ? BY_CODE[kindCode] : null;
        if (k == null) {
            return "kind " + kindCode + " '" + name + "'.op " + opCode;
        }
        Operation op = opCode >= 0 && opCode < k.operations.length ? k.operations[opCode] : null;
        return k.label + " '" + name + "'." + (op == null ? "op " + opCode : op.label());
    }
}
