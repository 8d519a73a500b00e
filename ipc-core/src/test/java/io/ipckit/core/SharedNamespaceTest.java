package io.ipckit.core;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.HandleChildMain;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python's {@code m.Namespace()}: attributes set in one process are read in another. */
class SharedNamespaceTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    @Timeout(90)
    void attributesSetHere_readAndChangedInAChildJvm_missingOneNamed() throws Exception {
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            SharedNamespace ns = m.namespace("config");
            ns.set("x", 10);
            ns.set("y", "this is a value");
            assertEquals("Namespace(x=10, y=this is a value)", ns.toString());
            NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> ns.get("z"));
            assertTrue(missing.getMessage().contains("'z'") && missing.getMessage().contains("[x, y]"),
                    missing.getMessage());
            assertEquals(7, ns.get("z", 7));
            assertThrows(NullPointerException.class, () -> ns.set("z", null));

            // the child sets z = x + 1 in the namespace it receives
            Process child = children.start(HandleChildMain.class, HandleChildMain.encode(ns), "namespace-inc");
            assertEquals(0, children.await(child, 60), children.logOf(child));
            assertEquals(11, ns.<Integer>get("z"));
            assertEquals(Map.of("x", 10, "y", "this is a value", "z", 11), ns.attributes());
            assertTrue(ns.delete("y"));
            assertFalse(ns.has("y"));
            assertEquals(Map.of("x", 10, "z", 11), m.map("config"), "the map of the same name holds them");
        }
    }
}
