package io.ipckit.core.test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Messages of the stress tests: a 20-byte header (producer id: int, sequence: long, CRC32 of the
 * payload: long) then a payload of random bytes whose size is log-uniform between 1 byte and
 * {@code maxPayload} (for 1 MiB: mean about 75 kB, median about 1 kB), so every size class is exercised
 * without a terabyte of traffic. An empty array is the consumers' stop signal.
 */
public final class StressMessages {
    public static final int HEADER = 4 + 8 + 8;
    public static final byte[] STOP = new byte[0];

    private StressMessages() {
    }

    /** A message of {@code producer}'s sequence number {@code seq}, its payload drawn from {@code random}. */
    public static byte[] make(int producer, long seq, int maxPayload, SplittableRandom random) {
        int size = (int) Math.min(maxPayload, Math.max(1, Math.round(Math.exp(random.nextDouble() * Math.log(maxPayload)))));
        byte[] m = new byte[HEADER + size];
        for (int i = HEADER; i < m.length; i += 8) {
            long r = random.nextLong();
            for (int k = 0; k < 8 && i + k < m.length; k++) {
                m[i + k] = (byte) (r >>> (8 * k));
            }
        }
        CRC32 crc = new CRC32();
        crc.update(m, HEADER, size);
        ByteBuffer.wrap(m).putInt(producer).putLong(seq).putLong(crc.getValue());
        return m;
    }

    /**
     * The id {@code producer << 32 | seq} of an intact message.
     *
     * @throws IllegalStateException when the message is torn or corrupt (its checksum does not match)
     */
    public static long verify(byte[] m) {
        if (m.length <= HEADER) {
            throw new IllegalStateException("message of " + m.length + " bytes is shorter than its header");
        }
        ByteBuffer b = ByteBuffer.wrap(m);
        int producer = b.getInt();
        long seq = b.getLong();
        long sum = b.getLong();
        CRC32 crc = new CRC32();
        crc.update(m, HEADER, m.length - HEADER);
        if (crc.getValue() != sum) {
            throw new IllegalStateException("message " + producer + "/" + seq + " of " + m.length
                    + " bytes fails its checksum");
        }
        return ((long) producer << 32) | seq;
    }
}
