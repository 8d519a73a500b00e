package io.ipckit.cluster.internal;

import io.ipckit.cluster.ForgedPayloadException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seals what the cluster stores: AES-256-GCM, the object's name as associated data, so a payload is readable
 * only with the token and only in the object it was sealed for (a payload copied into another object is
 * refused). Sealed form: {@code nonce(12) || ciphertext || tag(16)}.
 *
 * <p>Nonces follow NIST SP 800-38D's deterministic construction (8.2.1): a 64-bit random prefix drawn when
 * the sealer is made, then a 32-bit counter; after 2^32 seals a new prefix is drawn. So a sealer never
 * repeats a nonce, and two sealers under one token (every process has its own) repeat one only if they drew
 * the same prefix: with N prefixes ever drawn under a token, a probability below N^2 / 2^65. (Random 96-bit
 * nonces, as before, allowed about 2^32 payloads per token in all; they also cost a read of the system's
 * random source per seal, about 0.4 µs of the 1.5 µs that sealing and opening an item take.)
 * Also makes the deterministic fingerprint of a map key (HMAC-SHA256 of the object's name and the encoded
 * key), so lookups work while key bytes stay sealed.
 *
 * <p>Any thread (each keeps its own cipher and MAC); never blocks.
 */
public final class Sealer {
    /** Bytes a sealed payload adds to its plain bytes. */
    public static final int OVERHEAD = 12 + 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Seals per nonce prefix: the counter's range. */
    private static final long SEALS_PER_PREFIX = 1L << 32;

    private final SecretKey aesKey;
    private final long sealsPerPrefix;
    /** The nonce prefix and the next counter; replaced when the counter has run out. */
    private volatile NonceSource nonces;
    private final SecretKeySpec macKey;
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(Sealer::newCipher);
    private final ThreadLocal<Mac> macs;

    public Sealer(ClusterKeys keys) {
        this(keys, SEALS_PER_PREFIX);
    }

    /** A sealer whose nonce prefix changes every {@code sealsPerPrefix} seals (tests of the change: a few). */
    Sealer(ClusterKeys keys, long sealsPerPrefix) {
        if (sealsPerPrefix < 1 || sealsPerPrefix > SEALS_PER_PREFIX) {
            throw new IllegalArgumentException("sealsPerPrefix must be 1 to 2^32, was " + sealsPerPrefix);
        }
        this.sealsPerPrefix = sealsPerPrefix;
        this.nonces = new NonceSource();
        this.aesKey = new SecretKeySpec(keys.aesKey(), "AES");
        this.macKey = new SecretKeySpec(keys.macKey(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** {@code plain} sealed for the object {@code objectName}. */
    public byte[] seal(byte[] plain, String objectName) {
        Objects.requireNonNull(plain, "plain");
        byte[] nonce = nextNonce();
        Cipher c = ciphers.get();
        try {
            c.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData(objectName));
            byte[] out = new byte[NONCE_BYTES + c.getOutputSize(plain.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            c.doFinal(plain, 0, plain.length, out, NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed for " + objectName, e);
        }
    }

    /**
     * The plain bytes of a payload sealed for {@code objectName}.
     *
     * @throws ForgedPayloadException when the payload was sealed with another token or for another object,
     *                                or was altered
     */
    public byte[] open(byte[] sealed, String objectName) {
        Objects.requireNonNull(sealed, "sealed");
        if (sealed.length < OVERHEAD) {
            throw forged(objectName, "it has " + sealed.length + " bytes, fewer than a sealed payload's "
                    + OVERHEAD, null);
        }
        Cipher c = ciphers.get();
        try {
            c.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            c.updateAAD(associatedData(objectName));
            return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw forged(objectName, "its authentication tag does not match", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM opening failed for " + objectName, e);
        }
    }

    /**
     * The fingerprint of {@code encodedKey} in the object {@code objectName}: equal keys in the same object
     * give equal fingerprints (43 characters of URL-safe base64); nothing of the key can be read from it.
     */
    public String fingerprint(String objectName, byte[] encodedKey) {
        Mac mac = macs.get();
        byte[] name = objectName.getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(4).putInt(name.length).array());
        mac.update(name);
        mac.update(encodedKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    }

    /** The next nonce: this sealer's prefix and counter, a new prefix once the counter has run out. */
    private byte[] nextNonce() {
        while (true) {
            NonceSource source = nonces;
            long n = source.counter.getAndIncrement();
            if (n < sealsPerPrefix) {
                return ByteBuffer.allocate(NONCE_BYTES).putLong(source.prefix).putInt((int) n).array();
            }
            synchronized (this) {
                if (nonces == source) {
                    nonces = new NonceSource();
                }
            }
        }
    }

    /** One nonce prefix (64 random bits) and its counter. Any thread. */
    private static final class NonceSource {
        final long prefix = RANDOM.nextLong();
        final AtomicLong counter = new AtomicLong();
    }

    private static byte[] associatedData(String objectName) {
        return ("ipckit-cluster:" + Objects.requireNonNull(objectName, "objectName")).getBytes(StandardCharsets.UTF_8);
    }

    private static ForgedPayloadException forged(String objectName, String why, Throwable cause) {
        return new ForgedPayloadException("a payload read from cluster object '" + objectName + "' is refused: " + why
                + ". It was sealed with another access token, for another object, or altered; check that every"
                + " process uses the same cluster address (with its #TOKEN)", cause);
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks AES/GCM/NoPadding, which every Java SE JDK has", e);
        }
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(macKey);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks HmacSHA256, which every Java SE JDK has", e);
        }
    }
}
