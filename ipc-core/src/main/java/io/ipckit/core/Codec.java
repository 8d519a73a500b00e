package io.ipckit.core;

import java.io.*;
import java.util.function.ObjIntConsumer;

/** TEMPORARY stand-in until the Kryo codec lands from branch codec. */
public final class Codec {
    private static final Codec DEFAULTS = new Codec();
    public static Codec defaults() { return DEFAULTS; }
    public int maxMessageBytes() { return 8 << 20; }
    public byte[] encode(Object v) {
        try { ByteArrayOutputStream b = new ByteArrayOutputStream(); try (ObjectOutputStream o = new ObjectOutputStream(b)) { o.writeObject(v); } return b.toByteArray(); }
        catch (IOException e) { throw new SerializationException("x", e); }
    }
    public void encode(Object v, ObjIntConsumer<byte[]> sink) { byte[] b = encode(v); sink.accept(b, b.length); }
    public Object decode(byte[] b, int off, int len) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b, off, len))) { return in.readObject(); }
        catch (Exception e) { throw new SerializationException("y", e); }
    }
}
