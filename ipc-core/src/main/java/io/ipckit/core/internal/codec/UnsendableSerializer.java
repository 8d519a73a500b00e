package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.ipckit.core.SerializationException;

import java.io.FileDescriptor;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.lang.ref.Reference;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channel;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Refuses types that hold live JVM or OS resources (threads, streams, sockets, channels, class
 * loaders, processes, executors, references): a copy in another process would be meaningless, and
 * Kryo would otherwise fail deep inside JDK internals with a message that names neither the type
 * nor the fix.
 */
final class UnsendableSerializer extends Serializer<Object> {

    /** The refused types; subclasses are refused too. */
    static final List<Class<?>> TYPES = List.of(
            Thread.class, ThreadGroup.class, ClassLoader.class, Process.class, ExecutorService.class,
            InputStream.class, OutputStream.class, Reader.class, Writer.class, FileDescriptor.class,
            Channel.class, Socket.class, ServerSocket.class, DatagramSocket.class, Reference.class);

    @Override
    public void write(Kryo kryo, Output out, Object value) {
        throw new SerializationException(message(value.getClass()));
    }

    @Override
    public Object read(Kryo kryo, Input in, Class<?> type) {
        throw new SerializationException("corrupt input: it names " + type.getName()
                + ", which ipckit never encodes");
    }

    /** Stands in for a serializer that cannot work because the JVM lacks one of ipckit's flags. */
    static final class MissingFlag extends Serializer<Object> {
        private final Class<?> type;
        private final String flag;
        private final RuntimeException problem;

        MissingFlag(Class<?> type, String flag, RuntimeException problem) {
            this.type = type;
            this.flag = flag;
            this.problem = problem;
        }

        @Override
        public void write(Kryo kryo, Output out, Object value) {
            throw fail("encode");
        }

        @Override
        public Object read(Kryo kryo, Input in, Class<?> ignored) {
            throw fail("decode");
        }

        private SerializationException fail(String verb) {
            return new SerializationException("cannot " + verb + " " + type.getName() + ": " + Failures.rootCause(problem)
                    + "; start the JVM with ipckit's flags, which include " + flag, problem);
        }
    }

    static String message(Class<?> type) {
        String kind = TYPES.stream().filter(t -> t.isAssignableFrom(type)).findFirst().orElse(type).getSimpleName();
        return "cannot encode " + type.getName() + ": a " + kind
                + " holds live JVM or OS resources and cannot be sent to another process; mark the field that holds it"
                + " transient and re-create it on the receiving side, or send the data it refers to (a path, a byte[],"
                + " a record of settings) instead";
    }
}
