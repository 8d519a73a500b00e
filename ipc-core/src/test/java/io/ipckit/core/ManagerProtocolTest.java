package io.ipckit.core;

import io.ipckit.core.internal.manager.client.ManagerClient;
import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.MapProtocol;
import io.ipckit.core.internal.manager.protocol.Operation;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manager protocol's typed operation codes: a code the manager does not know is answered with an error
 * naming the kind, the object and the code (the caller does not hang, the object stays usable), and every
 * kind's codes are distinct.
 */
class ManagerProtocolTest extends LeakCheckingTest {
    @Test
    void unknownOperationCode_failsThatCallNamingKindObjectAndCode_objectStillUsable() {
        try (Manager m = Manager.embedded(); ManagerClient client = ManagerClient.connect(m.address())) {
            SharedMap<String, Integer> map = m.map("m");
            map.put("a", 1);
            Operation bogus = new Operation() {
                @Override
                public Kind kind() {
                    return Kind.MAP;
                }

                @Override
                public int code() {
                    return 99;
                }

                @Override
                public String label() {
                    return "bogus";
                }
            };
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> client.call(bogus, "m", "a"));
            assertTrue(e.getMessage().contains("map 'm'") && e.getMessage().contains("code 99"), e.getMessage());
            assertEquals(1, client.call(MapProtocol.GET, "m", "a"), "the same client goes on");
            assertEquals(1, map.get("a"), "the map is unchanged");
        }
    }

    @Test
    void unknownKindCode_refusedNamingTheCode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kind.of(99));
        assertTrue(e.getMessage().contains("kind with code 99"), e.getMessage());
    }

    @Test
    void everyKindHasItsOwnCode_andEveryOperationItsOwnCodeWithinItsKind_createBeingCodeZero() {
        Set<Integer> kinds = new HashSet<>();
        for (Kind k : Kind.values()) {
            assertTrue(kinds.add(k.code()), "kind code " + k.code() + " of " + k);
            assertEquals(k, Kind.of(k.code()));
            if (k != Kind.MANAGER) {
                Operation create = k.operation(0, "x");
                assertEquals("create", create.label(), k + "'s code 0");
                assertEquals(k, create.kind());
            }
        }
        assertEquals(MapProtocol.PUT, Kind.MAP.operation(MapProtocol.PUT.code(), "m"));
    }
}
