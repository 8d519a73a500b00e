package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Sealer}'s nonces: a random prefix and a counter, never repeated, a new prefix when the counter runs out. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SealerNonceTest extends LeakCheckingTest {
    private final ClusterKeys keys = ClusterKeys.of(ClusterAddress.create("c", List.of(new ClusterAddress.Member("h", 5701))));
    private final byte[] plain = "item".getBytes(StandardCharsets.UTF_8);

    @Test
    void noncesCountUpUnderOnePrefix_thenANewPrefixStartsAgainAtZero_andEveryPayloadStillOpens() {
        Sealer sealer = new Sealer(keys, 4);
        List<byte[]> sealed = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sealed.add(sealer.seal(plain, "queue:q"));
        }
        Set<ByteBuffer> nonces = new HashSet<>();
        Set<Long> prefixes = new HashSet<>();
        for (int i = 0; i < sealed.size(); i++) {
            ByteBuffer nonce = ByteBuffer.wrap(sealed.get(i), 0, 12).slice();
            assertTrue(nonces.add(nonce), "nonce of seal " + i + " repeated");
            prefixes.add(nonce.getLong(0));
            assertEquals(i % 4, nonce.getInt(8), "seal " + i + ": the counter under its prefix");
            assertArrayEquals(plain, sealer.open(sealed.get(i), "queue:q"));
        }
        assertEquals(3, prefixes.size(), "a new prefix every 4 seals");
    }

    @Test
    void threadsSealingAtOnce_neverShareANonce_acrossPrefixChanges() throws Exception {
        Sealer sealer = new Sealer(keys, 1_000);
        Set<ByteBuffer> nonces = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        byte[] s = sealer.seal(plain, "queue:q");
                        assertTrue(nonces.add(ByteBuffer.wrap(s, 0, 12).slice()), "a nonce was repeated");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(15, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(5, TimeUnit.SECONDS));
        }
        assertEquals(80_000, nonces.size());
    }

    @Test
    void twoSealersOfOneToken_drawTheirOwnPrefixes() {
        byte[] a = new Sealer(keys).seal(plain, "queue:q");
        byte[] b = new Sealer(keys).seal(plain, "queue:q");
        assertNotEquals(ByteBuffer.wrap(a, 0, 8).getLong(), ByteBuffer.wrap(b, 0, 8).getLong());
        assertArrayEquals(plain, new Sealer(keys).open(a, "queue:q"), "any sealer of the token opens it");
    }

    @Test
    void aPrefixRangeOutsideOneTo2To32_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Sealer(keys, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sealer(keys, (1L << 32) + 1));
    }
}
