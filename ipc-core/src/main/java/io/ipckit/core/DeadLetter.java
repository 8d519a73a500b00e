package io.ipckit.core;

import java.util.Objects;

/**
 * A message that a consumer of a channel took but could not decode (a class missing in its JVM,
 * corrupt bytes...), kept byte for byte in the channel's dead-letter queue instead of being dropped.
 * Read them with {@link Channel#deadLetters()}; decode one with a codec that can (for instance in a JVM
 * that has the class) with {@link #decode(Codec)}.
 *
 * @param channel the channel's name
 * @param index the message's Chronicle index in the channel (as named in the consumer's exception)
 * @param payload the encoded message, as the producer wrote it
 */
public record DeadLetter(String channel, long index, byte[] payload) {
    public DeadLetter {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * Decodes the payload with {@code codec}. Any thread.
     *
     * @throws SerializationException when it still cannot be decoded
     */
    public Object decode(Codec codec) {
        return codec.decode(payload);
    }

    @Override
    public String toString() {
        return "DeadLetter[" + channel + " at 0x" + Long.toHexString(index) + ", " + payload.length + " bytes]";
    }
}
