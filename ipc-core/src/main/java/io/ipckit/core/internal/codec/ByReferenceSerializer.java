package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/** Writes a {@link ByReference} handle as its reference, and reads it back resolved. Codec threads. */
final class ByReferenceSerializer extends Serializer<Object> {
    ByReferenceSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Object handle) {
        kryo.writeClassAndObject(output, ((ByReference) handle).reference());
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
        return ((ByReference.Reference) kryo.readClassAndObject(input)).resolve();
    }
}
