package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory.FieldSerializerFactory;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.AtomicBooleanSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.AtomicIntegerSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.AtomicLongSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.AtomicReferenceSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.ConcurrentSkipListMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.PatternSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.URISerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.UUIDSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer.FieldSerializerConfig;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import org.objenesis.strategy.StdInstantiatorStrategy;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationHandler;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Configures one Kryo instance the way every ipckit JVM does. The registrations below give
 * classes compact ids that are part of the wire format: they must be the same, in the same
 * order, in every JVM that exchanges messages, so only ever append to the list.
 */
public final class KryoFactory {
    /**
     * The objects a message may reference before its Kryo's reference tables grow past what each encode
     * and decode clears (and shrink back after it). Kryo's default, 2048, made every message after one
     * large graph (a list of a few thousand strings) clear a table of thousands of slots: an encode of a
     * short string then took 7-15 µs instead of 0.2 µs, for the rest of the thread's life.
     */
    static final int REFERENCE_TABLE_CAPACITY = 64;

    private KryoFactory() {
    }

    /**
     * @param policy which classes may be decoded
     * @param classLoader loads the classes named in the bytes
     */
    public static Kryo create(ClassPolicy policy, ClassLoader classLoader) {
        Kryo kryo = new Kryo(new AllowListClassResolver(policy), new MapReferenceResolver(REFERENCE_TABLE_CAPACITY));
        kryo.setRegistrationRequired(false);
        kryo.setWarnUnregisteredClasses(false);
        kryo.setReferences(true); // cycles and shared references
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        kryo.setClassLoader(classLoader);

        // Like Java serialization: keep synthetic fields, i.e. the values an anonymous or local
        // class captured (val$x) and its enclosing instance (this$0).
        FieldSerializerConfig fields = new FieldSerializerConfig();
        fields.setIgnoreSyntheticFields(false);
        kryo.setDefaultSerializer(new FieldSerializerFactory(fields));

        kryo.addDefaultSerializer(Throwable.class, ThrowableSerializer.FACTORY);
        kryo.addDefaultSerializer(io.ipckit.core.Connection.class, new PipeEndSerializer());
        kryo.addDefaultSerializer(ByFields.class, new FieldSerializerFactory(fields));
        kryo.addDefaultSerializer(ByReference.class, new ByReferenceSerializer());
        kryo.addDefaultSerializer(io.ipckit.core.ShareableList.class, new FieldSerializerFactory(fields)); // a handle, not its items
        UnsendableSerializer unsendable = new UnsendableSerializer();
        for (Class<?> type : UnsendableSerializer.TYPES) {
            kryo.addDefaultSerializer(type, unsendable);
        }
        ImmutableListSerializer immutableList = new ImmutableListSerializer();
        for (Class<?> type : ImmutableListSerializer.TYPES) {
            kryo.addDefaultSerializer(type, immutableList);
        }
        kryo.addDefaultSerializer(AtomicBoolean.class, new AtomicBooleanSerializer());
        kryo.addDefaultSerializer(AtomicInteger.class, new AtomicIntegerSerializer());
        kryo.addDefaultSerializer(AtomicLong.class, new AtomicLongSerializer());
        kryo.addDefaultSerializer(AtomicReference.class, new AtomicReferenceSerializer());
        kryo.addDefaultSerializer(Pattern.class, new PatternSerializer());
        kryo.addDefaultSerializer(URI.class, new URISerializer());
        kryo.addDefaultSerializer(UUID.class, new UUIDSerializer());
        kryo.addDefaultSerializer(Path.class, new PathSerializer());
        kryo.addDefaultSerializer(ConcurrentSkipListMap.class, new ConcurrentSkipListMapSerializer());
        kryo.addDefaultSerializer(EnumMap.class, new EnumMapSerializer());
        kryo.addDefaultSerializer(Collection.class, JdkCollectionCopySerializer.FACTORY);
        kryo.addDefaultSerializer(Map.class, JdkCollectionCopySerializer.FACTORY);

        registerIds(kryo, policy);
        return kryo;
    }

    /** Wire format: append only. */
    private static void registerIds(Kryo kryo, ClassPolicy policy) {
        kryo.register(ClosureSerializer.Closure.class, LambdaSerializer.create());
        kryo.register(SerializedLambda.class, serializedLambdaSerializer(kryo));
        kryo.register(Object[].class, new ObjectArraySerializer());
        kryo.register(Class.class);
        kryo.register(byte[].class);
        kryo.register(int[].class);
        kryo.register(long[].class);
        kryo.register(double[].class);
        kryo.register(String[].class);
        kryo.register(ArrayList.class);
        kryo.register(LinkedList.class);
        kryo.register(ArrayDeque.class);
        kryo.register(HashMap.class);
        kryo.register(LinkedHashMap.class);
        kryo.register(TreeMap.class);
        kryo.register(HashSet.class);
        kryo.register(LinkedHashSet.class);
        kryo.register(TreeSet.class);
        kryo.register(BigInteger.class);
        kryo.register(BigDecimal.class);
        kryo.register(UUID.class);
        kryo.register(Optional.class);
        kryo.register(Instant.class);
        kryo.register(Duration.class);
        kryo.register(LocalDate.class);
        kryo.register(LocalDateTime.class);
        // the manager's protocol, sent on every call
        kryo.register(io.ipckit.core.internal.manager.protocol.Protocol.Request.class,
                new io.ipckit.core.internal.manager.protocol.Protocol.RequestSerializer());
        kryo.register(io.ipckit.core.internal.manager.protocol.Protocol.Reply.class,
                new io.ipckit.core.internal.manager.protocol.Protocol.ReplySerializer());
        kryo.register(io.ipckit.core.internal.manager.client.HandleRef.class);
        // Kryo looks every JDK dynamic proxy class up as InvocationHandler: a fixed id for that type means the
        // bytes never name the JVM-local generated proxy class (see ProxySerializer).
        kryo.register(InvocationHandler.class, new ProxySerializer(policy));
    }

    /** Kryo's field serializer, which needs java.lang.invoke opened; without it, one that says so. */
    private static Serializer<?> serializedLambdaSerializer(Kryo kryo) {
        try {
            return kryo.getDefaultSerializer(SerializedLambda.class);
        } catch (RuntimeException e) {
            return new UnsendableSerializer.MissingFlag(SerializedLambda.class, "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", e);
        }
    }

    /** Points the Kryo at another class loader, forgetting classes it resolved with the old one. */
    public static void setClassLoader(Kryo kryo, ClassLoader classLoader) {
        if (kryo.getClassLoader() != classLoader) {
            kryo.setClassLoader(classLoader);
            ((AllowListClassResolver) kryo.getClassResolver()).forgetLoadedNames();
        }
    }
}
