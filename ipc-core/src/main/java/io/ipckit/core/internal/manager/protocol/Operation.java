package io.ipckit.core.internal.manager.protocol;

/**
 * One operation of the manager protocol: the {@link Kind} of object it applies to and its code within that
 * kind, the two bytes a {@link Protocol.Request} carries instead of names. Implemented by one enum per
 * kind ({@link MapProtocol}, {@link LockProtocol}...), which the client-side handles use to send and the
 * server-side handlers switch on, as Aeron's {@code ControlProtocolEvents} is shared by its driver proxy
 * and its adapter. Code {@link Protocol#CREATE} of every kind gets or creates the named object. Codes
 * are part of the wire format: never reuse or renumber one, add new ones at the end. Immutable.
 */
public interface Operation {
    /** The kind of object this operation applies to. */
    Kind kind();

    /** The operation's code within its kind, 0 to 127. */
    int code();

    /** The operation's name in messages ("put", "acquire"...). */
    String label();

    /**
     * The table of {@code operations} by code, for the {@code of(code)} lookups of the protocol enums.
     *
     * @throws IllegalStateException when two operations share a code or one is out of 0..127
     */
    static Operation[] byCode(Operation[] operations) {
        int max = -1;
        for (Operation op : operations) {
            max = Math.max(max, op.code());
        }
        Operation[] table = new Operation[max + 1];
        for (Operation op : operations) {
            if (op.code() < 0 || op.code() > Byte.MAX_VALUE || table[op.code()] != null) {
                throw new IllegalStateException("operation code " + op.code() + " of " + op.kind().label()
                        + " is taken twice or out of 0..127");
            }
            table[op.code()] = op;
        }
        return table;
    }
}
