package io.ipckit.core;

import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.RelayBackendProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend seam: {@code Manager.connect} picks the backend by the address's scheme, a second backend
 * plugs in through {@code BackendProvider} without any change to the caller, and an address no backend
 * takes is refused with a message that names its scheme and never its token.
 */
class BackendSeamTest extends LeakCheckingTest {

    @Test
    @Timeout(60)
    void aProviderOnTheClassPath_takesItsScheme_andTheCallerUsesTheSameTypes() throws Exception {
        try (Manager local = Manager.embedded()) {
            int before = RelayBackendProvider.CONNECTS.get();
            try (Manager relayed = Manager.connect(RelayBackendProvider.SCHEME + local.address())) {
                assertEquals(before + 1, RelayBackendProvider.CONNECTS.get());
                SharedMap<String, Integer> map = relayed.map("m");
                map.put("a", 1);
                SharedQueue<String> q = relayed.queue("q");
                q.put("hello");
                SharedLock lock = relayed.lock("l");
                assertTrue(lock.tryLock());
                lock.unlock();

                assertEquals(1, local.<String, Integer>map("m").get("a"));
                assertEquals("hello", local.<String>queue("q").poll(10, TimeUnit.SECONDS));
            }
            assertEquals(0, local.<String>queue("q").size(), "the relayed manager's close only disconnected");
        }
    }

    @Test
    @Timeout(30)
    void anAddressNoBackendTakes_isRefusedNamingTheScheme_notTheToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Manager.connect("ipckit-cluster://demo@127.0.0.1:5701#s3cretTokenValue"));
        assertTrue(e.getMessage().contains("ipckit-cluster://"), e.getMessage());
        assertTrue(e.getMessage().contains("ipc-cluster"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cretTokenValue"), e.getMessage());

        IllegalArgumentException local = assertThrows(IllegalArgumentException.class, () -> Manager.connect("nonsense"));
        assertTrue(local.getMessage().contains("ipckit:"), local.getMessage());
    }
}
