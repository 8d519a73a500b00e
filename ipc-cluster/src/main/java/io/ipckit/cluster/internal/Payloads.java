package io.ipckit.cluster.internal;

import io.ipckit.core.Codec;

/**
 * The payloads of one cluster object: values encoded with ipc-core's {@link Codec}, then sealed for the
 * object's name. Any thread.
 */
final class Payloads {
    private final Codec codec;
    private final Sealer sealer;
    private final String objectName;

    Payloads(Codec codec, Sealer sealer, String objectName) {
        this.codec = codec;
        this.sealer = sealer;
        this.objectName = objectName;
    }

    /** {@code value} encoded and sealed. */
    byte[] seal(Object value) {
        return sealer.seal(codec.encode(value), objectName);
    }

    /** The value of a sealed payload; {@link io.ipckit.cluster.ForgedPayloadException} when forged. */
    @SuppressWarnings("unchecked")
    <T> T open(byte[] sealed) {
        return (T) codec.decode(sealer.open(sealed, objectName));
    }

    /** Encoded bytes, not sealed (a map key's bytes, to fingerprint). */
    byte[] encode(Object value) {
        return codec.encode(value);
    }

    Object decode(byte[] plain) {
        return codec.decode(plain);
    }

    Sealer sealer() {
        return sealer;
    }

    String objectName() {
        return objectName;
    }
}
