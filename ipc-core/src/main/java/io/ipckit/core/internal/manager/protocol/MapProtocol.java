package io.ipckit.core.internal.manager.protocol;

/**
 * The operations of a shared map ({@code SharedMap} &rarr; {@code MapHandler}); each runs whole on the
 * dispatcher, so each is atomic.
 * Shared by the client-side handle, which sends these codes, and the server-side handler, which switches
 * on them; the codes are wire format (see {@link Operation}). Immutable; any thread.
 *
 * <pre>
 * code  operation       args                       reply
 *    0  CREATE          -                          null
 *    1  GET             key                        the value or null
 *    2  GET_OR_DEFAULT  key, default               the value or the default
 *    3  PUT             key, value                 the previous value or null
 *    4  PUT_IF_ABSENT   key, value                 the present value or null
 *    5  REMOVE          key                        the removed value or null
 *    6  REMOVE_IF       key, value                 whether removed (Map.remove(key, value))
 *    7  REPLACE         key, value                 the previous value or null
 *    8  REPLACE_IF      key, old value, new value  whether replaced
 *    9  CONTAINS_KEY    key                        boolean
 *   10  CONTAINS_VALUE  value                      boolean
 *   11  SIZE            -                          int
 *   12  CLEAR           -                          null
 *   13  PUT_ALL         a map                      null
 *   14  SNAPSHOT        -                          a LinkedHashMap copy
 *   15  KEYS            -                          an ArrayList copy of the keys
 * </pre>
 */
public enum MapProtocol implements Operation {
    CREATE(0, "create"),
    GET(1, "get"),
    GET_OR_DEFAULT(2, "getOrDefault"),
    PUT(3, "put"),
    PUT_IF_ABSENT(4, "putIfAbsent"),
    REMOVE(5, "remove"),
    REMOVE_IF(6, "removeIf"),
    REPLACE(7, "replace"),
    REPLACE_IF(8, "replaceIf"),
    CONTAINS_KEY(9, "containsKey"),
    CONTAINS_VALUE(10, "containsValue"),
    SIZE(11, "size"),
    CLEAR(12, "clear"),
    PUT_ALL(13, "putAll"),
    SNAPSHOT(14, "snapshot"),
    KEYS(15, "keys");

    private static final Operation[] BY_CODE = Operation.byCode(values());

    private final int code;
    private final String label;

    MapProtocol(int code, String label) {
        this.code = code;
        this.label = label;
    }

    @Override
    public Kind kind() {
        return Kind.MAP;
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
    public static MapProtocol of(int code) {
        return code >= 0 && code < BY_CODE.length ? (MapProtocol) BY_CODE[code] : null;
    }
}
