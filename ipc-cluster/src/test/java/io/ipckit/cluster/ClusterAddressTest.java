package io.ipckit.cluster;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ClusterAddressTest extends LeakCheckingTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @Test
    void parsesAndRoundTrips() {
        String text = "ipckit-cluster://prod.eu_1@host1:5701,10.0.0.2:5702,[::1]:5703#" + TOKEN;
        ClusterAddress a = ClusterAddress.parse(text);
        assertEquals("prod.eu_1", a.name());
        assertEquals(List.of(new ClusterAddress.Member("host1", 5701), new ClusterAddress.Member("10.0.0.2", 5702),
                new ClusterAddress.Member("[::1]", 5703)), a.members());
        assertEquals("::1", a.members().get(2).bareHost());
        assertEquals(TOKEN, a.token());
        assertEquals(text, a.toString());
        assertEquals(a, ClusterAddress.parse(a.toString()));
        assertFalse(a.redacted().contains(TOKEN));
    }

    @Test
    void freshTokensDiffer() {
        ClusterAddress a = ClusterAddress.create("c", List.of(new ClusterAddress.Member("127.0.0.1", 5701)));
        ClusterAddress b = a.withNewToken();
        assertTrue(a.token().matches("[0-9a-f]{32}"));
        assertNotEquals(a.token(), b.token());
        assertEquals(a.name(), b.name());
        assertEquals(a.members(), b.members());
        assertEquals(a, ClusterAddress.parse(a.toString()));
    }

    @Test
    void badAddressesNameTheBadPartAndTheForm() {
        bad("ipckit:/tmp/x#" + TOKEN, "does not start with ipckit-cluster://");
        bad("ipckit-cluster://host1:5701#" + TOKEN, "cluster name and '@' are missing");
        bad("ipckit-cluster://c@host1:5701", "'#TOKEN' part is missing");
        bad("ipckit-cluster://c@host1:5701#abc", "token is not 32 lowercase hex digits (it has 3");
        bad("ipckit-cluster://c@host1:5701#" + TOKEN.toUpperCase(), "token is not 32 lowercase hex");
        bad("ipckit-cluster://-c@host1:5701#" + TOKEN, "cluster name '-c'");
        bad("ipckit-cluster://c@#" + TOKEN, "no member is listed");
        bad("ipckit-cluster://c@host1#" + TOKEN, "member 'host1' has no ':port'");
        bad("ipckit-cluster://c@host1:http#" + TOKEN, "port 'http', not a number");
        bad("ipckit-cluster://c@host1:70000#" + TOKEN, "port 70000 is not from 1 to 65535");
        bad("ipckit-cluster://c@host1:5701,,host2:5701#" + TOKEN, "empty member");
        bad("ipckit-cluster://c@ho st:5701#" + TOKEN, "host 'ho st'");
        bad("ipckit-cluster://c@[::1:5701#" + TOKEN, "host '[::1'");
        assertThrows(NullPointerException.class, () -> ClusterAddress.parse(null));
        assertThrows(IllegalArgumentException.class, () -> ClusterAddress.create("c", List.of()));
    }

    @Test
    void errorsNeverQuoteTheToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterAddress.parse("ipckit-cluster://c@host1#" + TOKEN));
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
    }

    private static void bad(String address, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterAddress.parse(address));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(ClusterAddress.FORM), e.getMessage());
    }
}
