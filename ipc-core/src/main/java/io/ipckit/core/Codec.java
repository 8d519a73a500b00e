package io.ipckit.core;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import io.ipckit.core.internal.codec.ClassPolicy;
import io.ipckit.core.internal.codec.Failures;
import io.ipckit.core.internal.PerThread;
import io.ipckit.core.internal.codec.KryoFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.ObjIntConsumer;
import java.util.regex.Pattern;

/**
 * Turns values into bytes and back with Kryo, the way every ipckit channel does.
 *
 * <p>Handles plain classes (with or without a no-arg constructor), records, enums, arrays, JDK
 * collections including {@code List.of}/{@code Map.of} and {@code Collections.unmodifiable*}
 * (wrappers and views decode as equal-content copies), cycles and shared references, exceptions
 * (class, message, stack trace, causes, suppressed exceptions and subclass fields), and lambdas
 * and method references whose target type is Serializable, such as {@link SerializableFunction}.
 * Each encoding is self-contained. Both sides must run the same classes and ipckit version.
 *
 * <p>Thread-safe: Kryo instances and output buffers are pooled, so any thread may call any
 * method at any time, and none blocks. Failures are {@link SerializationException}s naming the
 * class involved and the fix; Kryo's own exceptions never escape.
 *
 * <p>Strict mode ({@link Builder#strict()}) decodes only allowed classes, for bytes from writers
 * the reader does not trust. Encoding is never restricted.
 *
 * <p>Limits: exceptions and lambdas need ipckit's JVM flags (the {@code --add-opens} of
 * java.lang and java.lang.invoke); without them plain values still work and the codec says which
 * flag is missing. Threads, streams, sockets, class loaders and the like are refused with a
 * message naming the field to make transient. A back reference from an element to the
 * {@code List.of}/{@code Set.of}/{@code Map.of} collection containing it decodes as null (those
 * collections are built after their elements). Corrupt input that declares a huge length is
 * reported as a {@link SerializationException} after the failed allocation.
 */
public final class Codec {

    /** The default {@link Builder#maxMessageBytes(int) size limit}: 8 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private static final int INITIAL_BUFFER_BYTES = 4096;
    /** Pooled buffers that grew beyond this are replaced, so one large message does not pin memory. */
    private static final int RETAINED_BUFFER_BYTES = 256 * 1024;
    private static final int POOL_SIZE = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
    private static final Pattern PACKAGE = Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
            + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

    private final ClassPolicy policy;
    private final int maxMessageBytes;
    /** Null: the calling thread's context class loader, else Codec's own. */
    private final ClassLoader classLoader;
    private final Pool<Kryo> kryos;
    private final Pool<Output> outputs;
    /** Each thread's idle Kryo and Output, used before the shared pools (empty while in use, so re-entry is safe). */
    private final PerThread<Slot> slots = new PerThread<>(Slot::new);

    private Codec(ClassPolicy policy, int maxMessageBytes, ClassLoader classLoader) {
        this.policy = policy;
        this.maxMessageBytes = maxMessageBytes;
        this.classLoader = classLoader;
        this.kryos = new Pool<>(true, false, POOL_SIZE) {
            @Override
            protected Kryo create() {
                return KryoFactory.create(policy, classLoader != null ? classLoader : currentClassLoader());
            }
        };
        this.outputs = new Pool<>(true, false, POOL_SIZE) {
            @Override
            protected Output create() {
                return new Output(Math.min(INITIAL_BUFFER_BYTES, maxMessageBytes), maxMessageBytes);
            }
        };
    }

    /**
     * The shared lenient codec with the default size limit, loading classes with the calling
     * thread's context class loader. Any thread; does not block.
     */
    public static Codec defaults() {
        return Defaults.INSTANCE;
    }

    /** A builder for a codec with other settings. Any thread; does not block. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Encodes a value (null included) into a new array. Any thread; does not block.
     *
     * @throws MessageTooLargeException if the encoding would exceed {@link #maxMessageBytes()}
     * @throws SerializationException if Kryo cannot encode the value or something it refers to
     */
    public byte[] encode(Object value) {
        Output output = obtainOutput();
        try {
            write(value, output);
            return output.toBytes();
        } finally {
            release(output);
        }
    }

    /**
     * Encodes a value (null included) into a pooled buffer and hands the buffer and the encoding's
     * length to {@code sink} without copying. The buffer is valid only during the call: the sink
     * must copy what it keeps. Any thread; does not block, except inside the sink.
     *
     * @throws MessageTooLargeException if the encoding would exceed {@link #maxMessageBytes()}
     * @throws SerializationException if Kryo cannot encode the value or something it refers to
     * @throws NullPointerException if sink is null; whatever the sink throws propagates unchanged
     */
    public void encode(Object value, ObjIntConsumer<byte[]> sink) {
        Objects.requireNonNull(sink, "sink");
        Output output = obtainOutput();
        try {
            write(value, output);
            sink.accept(output.getBuffer(), output.position());
        } finally {
            release(output);
        }
    }

    private void write(Object value, Output output) {
        Kryo kryo = obtainKryo();
        try {
            kryo.writeClassAndObject(output, value);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            kryo = null; // its state is unknown after a failure: let the pool make a new one
            throw Failures.encoding(value, e, maxMessageBytes);
        } finally {
            if (kryo != null) {
                freeKryo(kryo);
            }
        }
    }

    /**
     * Decodes a whole array. Any thread; does not block.
     *
     * @throws SerializationException if the bytes are truncated or corrupt, name a class the
     *     class loader cannot find or (in strict mode) that is not allowed, or carry bytes after
     *     the value
     * @throws NullPointerException if bytes is null
     */
    public Object decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes {@code length} bytes starting at {@code offset}, which must hold exactly one
     * encoding. Any thread; does not block.
     *
     * @throws SerializationException if the bytes are truncated or corrupt, name a class the
     *     class loader cannot find or (in strict mode) that is not allowed, or carry bytes after
     *     the value
     * @throws NullPointerException if bytes is null
     * @throws IndexOutOfBoundsException if offset and length do not lie within bytes
     */
    public Object decode(byte[] bytes, int offset, int length) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            throw new SerializationException("cannot decode 0 bytes: the input is empty (an encoding is at least 1 byte)");
        }
        Input input = new Input(bytes, offset, length);
        Kryo kryo = obtainKryo();
        Object value;
        try {
            value = kryo.readClassAndObject(input);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError | LinkageError e) {
            kryo = null; // its state is unknown after a failure: let the pool make a new one
            throw Failures.decoding(e, length, consumed(input, offset));
        } finally {
            if (kryo != null) {
                freeKryo(kryo);
            }
        }
        int read = consumed(input, offset);
        if (read != length) {
            throw new SerializationException("cannot decode " + length + " bytes: the value ends at byte " + read
                    + " and " + (length - read) + " bytes are left over (corrupt input, or more than one encoding"
                    + " in the range?)");
        }
        return value;
    }

    /**
     * Decodes a whole array and checks the value's type; null is returned as null. Any thread;
     * does not block.
     *
     * @throws SerializationException as {@link #decode(byte[])} does, or if the value is not
     *     a {@code type} (the message names both classes)
     * @throws NullPointerException if bytes or type is null
     */
    public <T> T decode(byte[] bytes, Class<T> type) {
        Objects.requireNonNull(type, "type");
        Object value = decode(bytes);
        Class<?> boxed = box(type);
        if (value != null && !boxed.isInstance(value)) {
            throw new SerializationException("expected a " + type.getName() + " but decoded a "
                    + value.getClass().getName());
        }
        @SuppressWarnings("unchecked")
        T result = (T) value;
        return result;
    }

    /** The largest encoding, in bytes, this codec produces. Any thread; does not block. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Whether this codec decodes only allowed classes. Any thread; does not block. */
    public boolean isStrict() {
        return policy.isStrict();
    }

    @Override
    public String toString() {
        return "Codec[" + policy + ", maxMessageBytes=" + maxMessageBytes + "]";
    }

    /** Bytes read so far; Input.position() alone restarts at 0 when Input compacts its buffer. */
    private static int consumed(Input input, int offset) {
        return (int) (input.total() - offset);
    }

    private Kryo obtainKryo() {
        Slot slot = slots.get();
        Kryo kryo = slot.kryo;
        if (kryo != null) {
            slot.kryo = null;
        } else {
            kryo = kryos.obtain();
        }
        if (classLoader == null) {
            KryoFactory.setClassLoader(kryo, currentClassLoader());
        }
        return kryo;
    }

    private void freeKryo(Kryo kryo) {
        Slot slot = slots.get();
        if (slot.kryo == null) {
            slot.kryo = kryo;
        } else {
            kryos.free(kryo);
        }
    }

    private Output obtainOutput() {
        Slot slot = slots.get();
        Output output = slot.output;
        if (output != null) {
            slot.output = null;
        } else {
            output = outputs.obtain();
        }
        int expected = slot.lastLarge;
        if (expected > output.getBuffer().length) {
            output.setBuffer(new byte[(int) Math.min(expected + (long) (expected >>> 3), maxMessageBytes)], maxMessageBytes);
        }
        return output;
    }

    private static final class Slot {
        Kryo kryo;
        Output output;
        /**
         * The length of this thread's last encoding when it was larger than {@link #RETAINED_BUFFER_BYTES},
         * else 0. The next encoding starts with a buffer of about that size: a thread that encodes a series
         * of large values (a pool's chunks, their results) then allocates one buffer each instead of a
         * doubling series from {@link #INITIAL_BUFFER_BYTES} (about twice the bytes, each page of them first
         * touched while a heap grows, which costs microseconds a page on a virtual machine), and no large
         * buffer stays pinned between encodings.
         */
        int lastLarge;
    }

    private void release(Output output) {
        Slot slot = slots.get();
        int length = output.position();
        slot.lastLarge = length > RETAINED_BUFFER_BYTES ? length : 0;
        if (output.getBuffer().length > RETAINED_BUFFER_BYTES) {
            output.setBuffer(new byte[Math.min(INITIAL_BUFFER_BYTES, maxMessageBytes)], maxMessageBytes);
        } else {
            output.reset();
        }
        if (slot.output == null) {
            slot.output = output;
        } else {
            outputs.free(output);
        }
    }

    private static ClassLoader currentClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Codec.class.getClassLoader();
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return java.lang.invoke.MethodType.methodType(type).wrap().returnType();
    }

    private static final class Defaults {
        static final Codec INSTANCE = new Builder().build();
    }

    /**
     * Settings for a {@link Codec}; {@link #build()} checks them together. Not thread-safe: use a
     * builder from one thread. Its methods do not block.
     */
    public static final class Builder {

        private boolean strict;
        private final Set<String> allowedClasses = new LinkedHashSet<>();
        private final List<String> allowedPackages = new ArrayList<>();
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private ClassLoader classLoader;

        private Builder() {
        }

        /**
         * Decodes only the {@link #allow allowed} classes and packages plus a safe baseline:
         * primitives, boxes, String, BigInteger/BigDecimal, UUID, Optional, java.time, arrays of
         * allowed types, java.util collections and maps, and JDK or ipckit exceptions. Enums,
         * records and every other class must be allowed explicitly.
         */
        public Builder strict() {
            this.strict = true;
            return this;
        }

        /**
         * Allows these classes in strict mode (nested classes are separate classes).
         *
         * @throws IllegalArgumentException if no type is given or one is null
         */
        public Builder allow(Class<?>... types) {
            if (types == null || types.length == 0) {
                throw new IllegalArgumentException("allow() needs at least one class");
            }
            for (int i = 0; i < types.length; i++) {
                if (types[i] == null) {
                    throw new IllegalArgumentException("allow(): the class at index " + i + " is null");
                }
                allowedClasses.add(types[i].getName());
            }
            return this;
        }

        /**
         * Allows every class in this package and its sub-packages in strict mode, e.g.
         * {@code "com.acme.model"} (a trailing {@code "."} or {@code ".*"} is ignored).
         *
         * @throws IllegalArgumentException if prefix is not a package name
         */
        public Builder allowPackage(String prefix) {
            String name = prefix == null ? "" : prefix.strip();
            if (name.endsWith(".*")) {
                name = name.substring(0, name.length() - 2);
            } else if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            if (!PACKAGE.matcher(name).matches()) {
                throw new IllegalArgumentException("allowPackage(\"" + prefix + "\"): not a package name;"
                        + " pass one like \"com.acme.model\"");
            }
            allowedPackages.add(name);
            return this;
        }

        /**
         * The largest encoding allowed, in bytes; default 8 MiB. Encoding a larger value throws
         * {@link MessageTooLargeException}.
         *
         * @throws IllegalArgumentException if bytes is not positive
         */
        public Builder maxMessageBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be > 0, was " + bytes);
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /**
         * The class loader for classes named in the bytes. Default: the decoding thread's context
         * class loader, or the one that loaded Codec if that is null.
         *
         * @throws IllegalArgumentException if loader is null
         */
        public Builder classLoader(ClassLoader loader) {
            if (loader == null) {
                throw new IllegalArgumentException("classLoader must not be null; leave it unset to use the"
                        + " thread context class loader");
            }
            this.classLoader = loader;
            return this;
        }

        /**
         * A codec with these settings.
         *
         * @throws IllegalStateException if classes or packages were allowed without {@link #strict()}
         */
        public Codec build() {
            if (!strict && (!allowedClasses.isEmpty() || !allowedPackages.isEmpty())) {
                throw new IllegalStateException("allow(...)/allowPackage(...) only take effect in strict mode,"
                        + " and a lenient codec decodes every class anyway; call strict() on the builder too"
                        + " (allowed: " + allowedClasses + " " + allowedPackages + ")");
            }
            ClassPolicy policy = strict ? ClassPolicy.strict(allowedClasses, allowedPackages) : ClassPolicy.lenient();
            return new Codec(policy, maxMessageBytes, classLoader);
        }
    }
}
