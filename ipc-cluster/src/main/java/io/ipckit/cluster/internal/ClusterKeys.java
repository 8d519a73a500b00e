package io.ipckit.cluster.internal;

import io.ipckit.cluster.ClusterAddress;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a cluster address's token derives (JDK HmacSHA256, HKDF-style extract then expand with a label):
 * the Hazelcast cluster name (the address's NAME and 64 bits of an HMAC of the token, so a member or
 * client without the token is refused at the join/authentication check), the 256-bit AES-GCM key that
 * seals payloads and the 256-bit MAC key of map-key fingerprints. Immutable; any thread.
 */
public final class ClusterKeys {
    private static final byte[] SALT = "ipckit-cluster v1".getBytes(StandardCharsets.UTF_8);

    private final String clusterName;
    private final byte[] aesKey;
    private final byte[] macKey;

    private ClusterKeys(String clusterName, byte[] aesKey, byte[] macKey) {
        this.clusterName = clusterName;
        this.aesKey = aesKey;
        this.macKey = macKey;
    }

    /** The keys of {@code address}'s token. */
    public static ClusterKeys of(ClusterAddress address) {
        byte[] prk = hmac(SALT, address.token().getBytes(StandardCharsets.US_ASCII));
        byte[] nameTag = expand(prk, "cluster-name:" + address.name());
        String clusterName = "ipckit-" + address.name() + "-" + HexFormat.of().formatHex(nameTag, 0, 8);
        return new ClusterKeys(clusterName, expand(prk, "aes-256-gcm"), expand(prk, "map-key-mac"));
    }

    /** The Hazelcast cluster name: members and clients of other tokens are refused. */
    public String clusterName() {
        return clusterName;
    }

    /** A copy of the AES-256 key. */
    byte[] aesKey() {
        return aesKey.clone();
    }

    /** A copy of the MAC key. */
    byte[] macKey() {
        return macKey.clone();
    }

    private static byte[] expand(byte[] prk, String label) {
        byte[] info = label.getBytes(StandardCharsets.UTF_8);
        byte[] in = Arrays.copyOf(info, info.length + 1);
        in[info.length] = 1;
        return hmac(prk, in);
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks HmacSHA256, which every Java SE JDK has", e);
        }
    }
}
