package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.ipckit.core.SerializationException;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Encodes an end of a pipe ({@code io.ipckit.core.Connection}) as its pipe's directory and its end number,
 * and on the reading side builds the end through the factory the {@code Connection} class installed (how
 * a process that receives an end becomes one of its users at once, see {@code PipeState}: a child that
 * dies before it sends still closes the end for the other side). The codec reaches the public class only
 * through what it installed here, as the JDK's shared secrets do.
 */
public final class PipeEndSerializer extends Serializer<Object> {
    private static volatile BiFunction<String, Integer, Object> factory;
    private static volatile Function<Object, String> directoryOf;
    private static volatile Function<Object, Integer> endOf;

    /** Called once by {@code Connection}'s static initializer. */
    public static void install(BiFunction<String, Integer, Object> make, Function<Object, String> dir,
                               Function<Object, Integer> end) {
        factory = make;
        directoryOf = dir;
        endOf = end;
    }

    @Override
    public void write(Kryo kryo, Output out, Object end) {
        out.writeString(directoryOf.apply(end));
        out.writeVarInt(endOf.apply(end), true);
    }

    @Override
    public Object read(Kryo kryo, Input in, Class<?> type) {
        String dir = in.readString();
        int end = in.readVarInt(true);
        if (dir == null || (end != 0 && end != 1)) {
            throw new SerializationException("corrupt input: a pipe end " + end + " of " + dir);
        }
        try {
            Class.forName(type.getName(), true, type.getClassLoader()); // installs the factory
        } catch (ClassNotFoundException e) {
            throw new SerializationException("cannot load " + type.getName() + ": " + e);
        }
        return factory.apply(dir, end);
    }
}
