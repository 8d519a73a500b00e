package io.ipckit.cluster;

import io.ipckit.cluster.internal.ClusterKeys;
import io.ipckit.cluster.internal.Sealer;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SealerTest extends LeakCheckingTest {
    private final ClusterAddress address = ClusterAddress.create("c", List.of(new ClusterAddress.Member("h", 5701)));
    private final Sealer sealer = new Sealer(ClusterKeys.of(address));
    private final byte[] plain = "hello cluster".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTripsAndHidesThePlainBytes() {
        byte[] sealed = sealer.seal(plain, "queue:q");
        assertEquals(plain.length + Sealer.OVERHEAD, sealed.length);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("hello"));
        assertArrayEquals(plain, sealer.open(sealed, "queue:q"));
        assertNotEquals(new String(sealed, StandardCharsets.ISO_8859_1),
                new String(sealer.seal(plain, "queue:q"), StandardCharsets.ISO_8859_1), "fresh nonce per seal");
        assertArrayEquals(new byte[0], sealer.open(sealer.seal(new byte[0], "x"), "x"));
    }

    @Test
    void alteredPayloadIsRefused() {
        byte[] sealed = sealer.seal(plain, "queue:q");
        for (int i : new int[] {0, 12, sealed.length - 1}) {
            byte[] t = sealed.clone();
            t[i] ^= 1;
            ForgedPayloadException e = assertThrows(ForgedPayloadException.class, () -> sealer.open(t, "queue:q"));
            assertTrue(e.getMessage().contains("'queue:q'"), e.getMessage());
        }
        assertThrows(ForgedPayloadException.class, () -> sealer.open(new byte[5], "queue:q"));
        assertArrayEquals(plain, sealer.open(sealed, "queue:q"), "still usable after refusals");
    }

    @Test
    void payloadOfAnotherObjectIsRefused() {
        byte[] sealed = sealer.seal(plain, "queue:a");
        ForgedPayloadException e = assertThrows(ForgedPayloadException.class, () -> sealer.open(sealed, "queue:b"));
        assertTrue(e.getMessage().contains("another object"), e.getMessage());
    }

    @Test
    void payloadOfAnotherTokenIsRefused() {
        Sealer other = new Sealer(ClusterKeys.of(address.withNewToken()));
        byte[] sealed = other.seal(plain, "queue:q");
        assertThrows(ForgedPayloadException.class, () -> sealer.open(sealed, "queue:q"));
    }

    @Test
    void keysDependOnTheToken() {
        ClusterKeys k = ClusterKeys.of(address);
        assertEquals(k.clusterName(), ClusterKeys.of(ClusterAddress.parse(address.toString())).clusterName());
        assertTrue(k.clusterName().startsWith("ipckit-c-"), k.clusterName());
        assertNotEquals(k.clusterName(), ClusterKeys.of(address.withNewToken()).clusterName());
        assertFalse(k.clusterName().contains(address.token()));
    }

    @Test
    void fingerprintsAreDeterministicPerObjectAndToken() {
        byte[] key = {1, 2, 3};
        String f = sealer.fingerprint("map:m", key);
        assertEquals(f, sealer.fingerprint("map:m", key.clone()));
        assertNotEquals(f, sealer.fingerprint("map:n", key));
        assertNotEquals(f, sealer.fingerprint("map:m", new byte[] {1, 2, 4}));
        assertNotEquals(f, new Sealer(ClusterKeys.of(address.withNewToken())).fingerprint("map:m", key));
        assertEquals(43, f.length());
    }
}
