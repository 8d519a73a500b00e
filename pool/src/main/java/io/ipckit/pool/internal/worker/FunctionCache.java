package io.ipckit.pool.internal.worker;

import io.ipckit.core.Codec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded stateless functions by their encoding, so that a worker decodes the function of a map once,
 * not once per chunk; the least recently used go past {@code max} entries. A hit reads the encoding in
 * the task message where it lies (no copy). Thread role: the worker's main thread only.
 */
final class FunctionCache {
    private final Map<Key, Object> functions;
    /** The key of lookups, pointed at each message in turn (a copy is made only to keep a new entry). */
    private final Key probe = new Key();

    FunctionCache(int max) {
        this.functions = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Object> eldest) {
                return size() > max;
            }
        };
    }

    /**
     * The function encoded in {@code length} bytes of {@code bytes} from {@code offset}, decoded on first use.
     *
     * @throws io.ipckit.core.SerializationException when it cannot be decoded (nothing is kept)
     */
    Object get(Codec codec, byte[] bytes, int offset, int length) {
        probe.set(bytes, offset, length);
        Object fn = functions.get(probe);
        if (fn == null) {
            fn = codec.decode(bytes, offset, length);
            Key kept = new Key();
            kept.set(Arrays.copyOfRange(bytes, offset, offset + length), 0, length);
            functions.put(kept, fn);
        }
        probe.set(null, 0, 0);
        return fn;
    }

    private static final class Key {
        byte[] bytes;
        int offset;
        int length;
        int hash;

        void set(byte[] bytes, int offset, int length) {
            this.bytes = bytes;
            this.offset = offset;
            this.length = length;
            int h = 1;
            for (int i = offset; bytes != null && i < offset + length; i++) {
                h = 31 * h + bytes[i];
            }
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return length == k.length && hash == k.hash
                    && Arrays.equals(bytes, offset, offset + length, k.bytes, k.offset, k.offset + k.length);
        }
    }
}
