package io.ipckit.core.internal.manager.protocol;

/**
 * The operations of a shared list ({@code SharedList} &rarr; {@code ListHandler}); each runs whole on the
 * dispatcher. Every change raises the list's version; the {@code *If} operations apply only when the
 * version is the one given (optimistic changes computed in the client).
 * Shared by the client-side handle, which sends these codes, and the server-side handler, which switches
 * on them; the codes are wire format (see {@link Operation}). Immutable; any thread.
 *
 * <pre>
 * code  operation      args                        reply
 *    0  CREATE         -                           null
 *    1  GET            index                       the element
 *    2  SET            index, element              the previous element
 *    3  ADD            element                     true
 *    4  INSERT         position, element           null
 *    5  REMOVE_AT      index                       the removed element
 *    6  REMOVE         element                     whether removed
 *    7  INDEX_OF       element                     int
 *    8  LAST_INDEX_OF  element                     int
 *    9  CONTAINS       element                     boolean
 *   10  SIZE           -                           int
 *   11  CLEAR          -                           null
 *   12  ADD_ALL        a collection                whether changed
 *   13  ADD_ALL_AT     position, a collection      whether changed
 *   14  REMOVE_RANGE   from, to                    null
 *   15  SNAPSHOT       -                           an ArrayList copy
 *   16  VERSIONED      -                           {version, ArrayList copy}
 *   17  REPLACE_IF     version, a collection       whether replaced (the version was current)
 *   18  SET_IF         version, index, element     the new version, or null when the version was not current
 *   19  REMOVE_AT_IF   version, index              the new version, or null
 *   20  INSERT_IF      version, position, element  the new version, or null
 * </pre>
 */
public enum ListProtocol implements Operation {
    CREATE(0, "create"),
    GET(1, "get"),
    SET(2, "set"),
    ADD(3, "add"),
    INSERT(4, "insert"),
    REMOVE_AT(5, "removeAt"),
    REMOVE(6, "remove"),
    INDEX_OF(7, "indexOf"),
    LAST_INDEX_OF(8, "lastIndexOf"),
    CONTAINS(9, "contains"),
    SIZE(10, "size"),
    CLEAR(11, "clear"),
    ADD_ALL(12, "addAll"),
    ADD_ALL_AT(13, "addAllAt"),
    REMOVE_RANGE(14, "removeRange"),
    SNAPSHOT(15, "snapshot"),
    VERSIONED(16, "versioned"),
    REPLACE_IF(17, "replaceIf"),
    SET_IF(18, "setIf"),
    REMOVE_AT_IF(19, "removeAtIf"),
    INSERT_IF(20, "insertIf");

    private static final Operation[] BY_CODE = Operation.byCode(values());

    private final int code;
    private final String label;

    ListProtocol(int code, String label) {
        this.code = code;
        this.label = label;
    }

    @Override
    public Kind kind() {
        return Kind.LIST;
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
    public static ListProtocol of(int code) {
        return code >= 0 && code < BY_CODE.length ? (ListProtocol) BY_CODE[code] : null;
    }
}
