package io.ipckit.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecTest {

    private final Codec codec = Codec.defaults();

    // ---------------------------------------------------------------- test types

    record Point(int x, int y) {
    }

    record Route(String name, List<Point> stops) {
    }

    enum Color {
        RED, GREEN { // a constant with a body is a subclass of Color
            @Override
            public String toString() {
                return "green";
            }
        }, BLUE
    }

    /** No no-arg constructor, final fields. */
    static final class Account {
        private final String owner;
        private final long cents;

        Account(String owner, long cents) {
            this.owner = Objects.requireNonNull(owner);
            this.cents = cents;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Account a && a.owner.equals(owner) && a.cents == cents;
        }

        @Override
        public int hashCode() {
            return Objects.hash(owner, cents);
        }
    }

    static final class Node {
        String name;
        Node next;

        Node(String name) {
            this.name = name;
        }
    }

    static final class CodedException extends RuntimeException {
        private final int code;
        private final List<String> details;

        CodedException(String message, int code, List<String> details) {
            super(message);
            this.code = code;
            this.details = details;
        }
    }

    static final class Holder {
        Object payload;

        Holder(Object payload) {
            this.payload = payload;
        }
    }

    static final class NotAllowed {
        int value;

        NotAllowed(int value) {
            this.value = value;
        }
    }

    private static final AtomicInteger RUNS = new AtomicInteger();

    private Object roundTrip(Object value) {
        return codec.decode(codec.encode(value));
    }

    // ---------------------------------------------------------------- round trips: values

    @Test
    void shouldRoundTripNullAndEveryPrimitiveBox() {
        assertNull(roundTrip(null));
        assertEquals(1, codec.encode(null).length);
        for (Object value : List.of(true, false, (byte) -7, 'é', (short) 1234, 42, -1, Integer.MIN_VALUE,
                Long.MAX_VALUE, 3.5f, Float.NaN, -0.0d, Double.MAX_VALUE)) {
            Object decoded = roundTrip(value);
            assertEquals(value.getClass(), decoded.getClass());
            assertEquals(value, decoded);
        }
    }

    @Test
    void shouldRoundTripStringsIncludingNonAscii() {
        for (String s : List.of("", "hello", "héllo wörld – ✓ 日本語 🎉", "a\u0000b", "x".repeat(10_000))) {
            assertEquals(s, roundTrip(s));
        }
    }

    @Test
    void shouldRoundTripPrimitiveAndObjectArrays() {
        assertArrayEquals(new int[] {1, -2, Integer.MAX_VALUE}, (int[]) roundTrip(new int[] {1, -2, Integer.MAX_VALUE}));
        assertArrayEquals(new long[] {Long.MIN_VALUE, 0}, (long[]) roundTrip(new long[] {Long.MIN_VALUE, 0}));
        assertArrayEquals(new double[] {1.5, Double.NaN}, (double[]) roundTrip(new double[] {1.5, Double.NaN}));
        assertArrayEquals(new byte[] {0, -1, 127}, (byte[]) roundTrip(new byte[] {0, -1, 127}));
        assertArrayEquals(new boolean[] {true, false}, (boolean[]) roundTrip(new boolean[] {true, false}));
        assertArrayEquals(new char[] {'a', '日'}, (char[]) roundTrip(new char[] {'a', '日'}));
        assertArrayEquals(new String[] {"a", null, "c"}, (String[]) roundTrip(new String[] {"a", null, "c"}));
        Object[] mixed = {1, "two", null, new Point(3, 4), new int[] {5}};
        Object[] decoded = (Object[]) roundTrip(mixed);
        assertEquals(Object[].class, decoded.getClass());
        assertEquals(Arrays.asList(1, "two", null, new Point(3, 4)), Arrays.asList(decoded).subList(0, 4));
        assertArrayEquals(new int[] {5}, (int[]) decoded[4]);
        int[][] grid = {{1, 2}, {3}};
        assertTrue(Arrays.deepEquals(grid, (int[][]) roundTrip(grid)));
        Point[] points = {new Point(1, 2)};
        assertArrayEquals(points, (Point[]) roundTrip(points));
    }

    /**
     * After a large encoding a thread's next one starts with a buffer of about that size: it must encode
     * the same bytes whether it is smaller (a buffer longer than the value), larger (grown from there) or
     * made inside a sink (the thread's buffer in use), and the sizes must not leak between values.
     */
    @Test
    void encodingsAfterALargeOne_areTheSameBytes_smallerLargerOrNested() {
        Codec codec = Codec.defaults();
        Random random = new Random(7);
        byte[] large = new byte[600_000];
        random.nextBytes(large);
        byte[] larger = new byte[1_500_000];
        random.nextBytes(larger);
        List<Object> values = List.of(large, "small", larger, List.of(1L, 2L), large, 42L);
        List<byte[]> fresh = new ArrayList<>();
        for (Object v : values) {
            fresh.add(Codec.builder().build().encode(v)); // a new codec each: no size carried over
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < values.size(); i++) {
                assertArrayEquals(fresh.get(i), codec.encode(values.get(i)), "value " + i + " in round " + round);
                int k = i;
                codec.encode(values.get(i), (buf, n) -> {
                    assertArrayEquals(fresh.get(k), Arrays.copyOf(buf, n), "value " + k + " through a sink");
                    Object other = values.get((k + 1) % values.size());
                    assertArrayEquals(fresh.get((k + 1) % values.size()), codec.encode(other), "nested in a sink");
                });
            }
        }
        assertArrayEquals(larger, (byte[]) codec.decode(codec.encode(larger)));
    }

    @Test
    void objectArraysOfOneClass_writeTheClassOnce_andKeepSharedReferencesAndCycles() {
        Object[] longs = new Object[1_000];
        for (int i = 0; i < longs.length; i++) {
            longs[i] = (long) i;
        }
        assertArrayEquals(longs, (Object[]) roundTrip(longs));
        Object[] oneMixed = longs.clone();
        oneMixed[500] = 500; // an Integer among Longs: every item then carries its class
        assertArrayEquals(oneMixed, (Object[]) roundTrip(oneMixed));
        assertTrue(codec.encode(longs).length < codec.encode(oneMixed).length - 900,
                "the class is written once, not per item: " + codec.encode(longs).length + " vs "
                        + codec.encode(oneMixed).length + " bytes");
        assertEquals(0, ((Object[]) roundTrip(new Object[0])).length);

        Point shared = new Point(1, 2);
        Object[] points = {shared, new Point(3, 4), shared};
        Object[] decoded = (Object[]) roundTrip(points);
        assertArrayEquals(points, decoded);
        assertSame(decoded[0], decoded[2], "a shared item stays shared");

        Object[] cycle = new Object[2];
        cycle[0] = cycle;
        cycle[1] = cycle;
        Object[] decodedCycle = (Object[]) roundTrip(cycle);
        assertSame(decodedCycle, decodedCycle[0]);
        assertSame(decodedCycle, decodedCycle[1]);

        Object[] colors = {Color.GREEN, Color.GREEN, Color.RED}; // GREEN has a body: its own class
        assertArrayEquals(colors, (Object[]) roundTrip(colors));
        SerializableFunction<Integer, Integer> twice = x -> 2 * x;
        Object[] fns = {twice, twice};
        Object[] decodedFns = (Object[]) roundTrip(fns);
        @SuppressWarnings("unchecked")
        SerializableFunction<Integer, Integer> f = (SerializableFunction<Integer, Integer>) decodedFns[1];
        assertEquals(14, f.apply(7));
        assertSame(decodedFns[0], decodedFns[1]);
    }

    @Test
    void shouldRoundTripMutableCollectionsKeepingTypeAndOrder() {
        ArrayList<Object> list = new ArrayList<>(List.of("a", 1, 2.5));
        list.add(null);
        assertEquals(list, assertInstanceOf(ArrayList.class, roundTrip(list)));

        HashMap<String, Integer> hashMap = new HashMap<>(Map.of("one", 1, "two", 2));
        assertEquals(hashMap, assertInstanceOf(HashMap.class, roundTrip(hashMap)));

        TreeMap<String, Integer> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.putAll(Map.of("a", 1, "b", 2, "c", 3));
        TreeMap<?, ?> decodedTree = assertInstanceOf(TreeMap.class, roundTrip(reversed));
        assertEquals(List.of("c", "b", "a"), new ArrayList<>(decodedTree.keySet()));

        LinkedHashMap<String, Integer> linked = new LinkedHashMap<>();
        linked.put("z", 1);
        linked.put("a", 2);
        linked.put("m", 3);
        LinkedHashMap<?, ?> decodedLinked = assertInstanceOf(LinkedHashMap.class, roundTrip(linked));
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(decodedLinked.keySet()));

        HashSet<Object> set = new HashSet<>(Set.of("x", 7, new Point(1, 1)));
        assertEquals(set, assertInstanceOf(HashSet.class, roundTrip(set)));
    }

    @Test
    void shouldRoundTripImmutableAndUnmodifiableCollections() {
        assertEquals(List.of(1, 2, 3), roundTrip(List.of(1, 2, 3)));
        assertEquals(List.of(), roundTrip(List.of()));
        assertEquals(List.of("one"), roundTrip(List.of("one")));
        assertEquals(List.of(2, 3), roundTrip(List.of(1, 2, 3, 4).subList(1, 3)));
        assertEquals(Map.of("a", 1, "b", 2), roundTrip(Map.of("a", 1, "b", 2)));
        assertEquals(Set.of("x", "y", "z"), roundTrip(Set.of("x", "y", "z")));
        List<String> withNull = Stream.of("a", null, "c").toList();
        assertEquals(withNull, roundTrip(withNull));

        List<Integer> unmodifiable = Collections.unmodifiableList(new ArrayList<>(List.of(4, 5)));
        List<?> decoded = assertInstanceOf(List.class, roundTrip(unmodifiable));
        assertEquals(List.of(4, 5), decoded);
        assertThrows(UnsupportedOperationException.class, () -> decoded.add(null));
        Map<String, Integer> unmodifiableMap = Collections.unmodifiableMap(new TreeMap<>(Map.of("k", 1)));
        assertEquals(unmodifiableMap, roundTrip(unmodifiableMap));
        assertEquals(Collections.emptyList(), roundTrip(Collections.emptyList()));
        assertEquals(Collections.singletonMap("k", "v"), roundTrip(Collections.singletonMap("k", "v")));
        assertEquals(Collections.synchronizedSet(new HashSet<>(Set.of(1, 2))), roundTrip(Collections.synchronizedSet(new HashSet<>(Set.of(1, 2)))));
        // views of other collections decode as equal-content copies
        assertEquals(Set.of("a", "b"), roundTrip(new HashMap<>(Map.of("a", 1, "b", 2)).keySet()));
        assertEquals(List.of("x", "x", "x"), roundTrip(Collections.nCopies(3, "x")));
    }

    @Test
    void shouldRoundTripEnumsEnumSetAndEnumMap() {
        assertSame(Color.RED, roundTrip(Color.RED));
        assertSame(Color.GREEN, roundTrip(Color.GREEN));
        assertSame(TimeUnit.SECONDS, roundTrip(TimeUnit.SECONDS));
        EnumSet<Color> set = EnumSet.of(Color.RED, Color.BLUE);
        assertEquals(set, roundTrip(set));
        assertEquals(EnumSet.noneOf(Color.class), roundTrip(EnumSet.noneOf(Color.class)));
        EnumMap<Color, String> map = new EnumMap<>(Map.of(Color.GREEN, "go", Color.RED, "stop"));
        assertEquals(map, assertInstanceOf(EnumMap.class, roundTrip(map)));
    }

    @Test
    void shouldRoundTripRecords() {
        assertEquals(new Point(3, -4), roundTrip(new Point(3, -4)));
    }

    @Test
    void shouldRoundTripNestedRecordWithList() {
        Route route = new Route("loop", List.of(new Point(0, 0), new Point(1, 2), new Point(0, 0)));
        Route decoded = assertInstanceOf(Route.class, roundTrip(route));
        assertEquals(route, decoded);
        Route mutable = new Route(null, new ArrayList<>(List.of(new Point(5, 5))));
        assertEquals(mutable, roundTrip(mutable));
    }

    @Test
    void shouldRoundTripClassWithoutNoArgConstructor() {
        Account decoded = assertInstanceOf(Account.class, roundTrip(new Account("ada", 12_345L)));
        assertEquals(new Account("ada", 12_345L), decoded);
    }

    @Test
    void shouldRoundTripJdkValueTypes() {
        assertEquals(Instant.ofEpochSecond(1_700_000_000L, 5), roundTrip(Instant.ofEpochSecond(1_700_000_000L, 5)));
        assertEquals(LocalDate.of(2024, 2, 29), roundTrip(LocalDate.of(2024, 2, 29)));
        assertEquals(Path.of("/tmp/some dir/file.txt"), roundTrip(Path.of("/tmp/some dir/file.txt")));
        AtomicInteger counter = assertInstanceOf(AtomicInteger.class, roundTrip(new AtomicInteger(41)));
        assertEquals(42, counter.incrementAndGet());
    }

    @Test
    void shouldKeepCyclesAndSharedReferences() {
        Node a = new Node("a");
        Node b = new Node("b");
        a.next = b;
        b.next = a;
        Node decoded = assertInstanceOf(Node.class, roundTrip(a));
        assertEquals("a", decoded.name);
        assertEquals("b", decoded.next.name);
        assertSame(decoded, decoded.next.next);

        Point shared = new Point(1, 1);
        List<?> pair = (List<?>) roundTrip(new ArrayList<>(List.of(shared, shared)));
        assertSame(pair.get(0), pair.get(1));

        List<Object> selfContaining = new ArrayList<>();
        selfContaining.add(selfContaining);
        List<?> decodedSelf = (List<?>) roundTrip(selfContaining);
        assertSame(decodedSelf, decodedSelf.get(0));

        List<Object> inner = new ArrayList<>();
        List<Object> view = Collections.unmodifiableList(inner);
        inner.add(view);
        List<?> decodedView = (List<?>) roundTrip(view);
        assertSame(decodedView, decodedView.get(0));
    }

    // ---------------------------------------------------------------- round trips: lambdas

    @Test
    void shouldRoundTripSerializableFunctionLambda() {
        SerializableFunction<Integer, Integer> twice = x -> x * 2;
        @SuppressWarnings("unchecked")
        SerializableFunction<Integer, Integer> decoded = codec.decode(codec.encode(twice), SerializableFunction.class);
        assertNotSame(twice, decoded);
        assertEquals(42, decoded.apply(21));
    }

    @Test
    void shouldRoundTripCapturingLambda() {
        int base = 100;
        String suffix = "!";
        List<String> words = List.of("x", "y");
        SerializableFunction<Integer, String> f = x -> (x + base) + suffix + words;
        @SuppressWarnings("unchecked")
        SerializableFunction<Integer, String> decoded = (SerializableFunction<Integer, String>) roundTrip(f);
        assertEquals("105![x, y]", decoded.apply(5));
    }

    @Test
    void shouldRoundTripMethodReferences() {
        SerializableBiFunction<Integer, Integer, Integer> sum = Integer::sum;
        @SuppressWarnings("unchecked")
        SerializableBiFunction<Integer, Integer, Integer> decoded = (SerializableBiFunction<Integer, Integer, Integer>) roundTrip(sum);
        assertEquals(7, decoded.apply(3, 4));
        SerializableFunction<String, Integer> length = String::length;
        @SuppressWarnings("unchecked")
        SerializableFunction<String, Integer> decodedLength = (SerializableFunction<String, Integer>) roundTrip(length);
        assertEquals(5, decodedLength.apply("hello"));
    }

    @Test
    void shouldRoundTripCallableRunnableConsumerAndSupplier() throws Exception {
        String greeting = "done";
        SerializableCallable<String> callable = () -> greeting + "!";
        assertEquals("done!", ((Callable<?>) roundTrip(callable)).call());

        int before = RUNS.get();
        SerializableRunnable runnable = () -> RUNS.incrementAndGet(); // a bound RUNS::incrementAndGet would copy RUNS
        ((Runnable) roundTrip(runnable)).run();
        ((Runnable) roundTrip((SerializableRunnable) () -> RUNS.addAndGet(10))).run();
        assertEquals(before + 11, RUNS.get());

        SerializableConsumer<List<String>> consumer = l -> l.add(greeting);
        @SuppressWarnings("unchecked")
        SerializableConsumer<List<String>> decodedConsumer = (SerializableConsumer<List<String>>) roundTrip(consumer);
        List<String> target = new ArrayList<>();
        decodedConsumer.accept(target);
        assertEquals(List.of("done"), target);

        SerializableSupplier<Point> supplier = () -> new Point(9, 9);
        assertEquals(new Point(9, 9), ((SerializableSupplier<?>) roundTrip(supplier)).get());

        Holder holder = new Holder((Runnable & Serializable) () -> RUNS.addAndGet(100));
        ((Runnable) assertInstanceOf(Holder.class, roundTrip(holder)).payload).run();
        assertEquals(before + 111, RUNS.get());
    }

    // ---------------------------------------------------------------- round trips: exceptions

    @Test
    void shouldRoundTripExceptionWithMessageAndExactStackTrace() {
        IllegalStateException original = new IllegalStateException("pool is closed");
        IllegalStateException decoded = assertInstanceOf(IllegalStateException.class, roundTrip(original));
        assertEquals("pool is closed", decoded.getMessage());
        assertNull(decoded.getCause());
        assertTrue(original.getStackTrace().length > 0);
        assertArrayEquals(original.getStackTrace(), decoded.getStackTrace());
        assertEquals(original.getStackTrace()[0].toString(), decoded.getStackTrace()[0].toString());
        assertEquals(0, decoded.getSuppressed().length);
        // a decoded exception behaves like a fresh one: its cause may still be set once
        decoded.initCause(new RuntimeException("later"));
        assertEquals("later", decoded.getCause().getMessage());
        decoded.addSuppressed(new RuntimeException("s"));
        assertEquals(1, decoded.getSuppressed().length);
    }

    @Test
    void shouldRoundTripCustomExceptionWithExtraFields() {
        CodedException original = new CodedException("bad input", 42, List.of("line 3", "line 9"));
        CodedException decoded = assertInstanceOf(CodedException.class, roundTrip(original));
        assertEquals("bad input", decoded.getMessage());
        assertEquals(42, decoded.code);
        assertEquals(List.of("line 3", "line 9"), decoded.details);
        assertArrayEquals(original.getStackTrace(), decoded.getStackTrace());
    }

    @Test
    void shouldRoundTripThreeDeepCauseChain() {
        Exception root = new java.io.IOException("disk full");
        Exception middle = new IllegalArgumentException("cannot save", root);
        Exception top = new RuntimeException("task failed", middle);
        Throwable decoded = assertInstanceOf(RuntimeException.class, roundTrip(top));
        assertEquals("task failed", decoded.getMessage());
        Throwable decodedMiddle = assertInstanceOf(IllegalArgumentException.class, decoded.getCause());
        assertEquals("cannot save", decodedMiddle.getMessage());
        Throwable decodedRoot = assertInstanceOf(java.io.IOException.class, decodedMiddle.getCause());
        assertEquals("disk full", decodedRoot.getMessage());
        assertNull(decodedRoot.getCause());
        assertArrayEquals(root.getStackTrace(), decodedRoot.getStackTrace());
        assertArrayEquals(top.getStackTrace(), decoded.getStackTrace());
    }

    @Test
    void shouldRoundTripSuppressedExceptionsAndSharedReferences() {
        IllegalStateException cause = new IllegalStateException("cause");
        Exception top = new Exception("top", cause);
        top.addSuppressed(new UnsupportedOperationException("close failed"));
        top.addSuppressed(cause);
        Exception decoded = assertInstanceOf(Exception.class, roundTrip(top));
        Throwable[] suppressed = decoded.getSuppressed();
        assertEquals(2, suppressed.length);
        assertInstanceOf(UnsupportedOperationException.class, suppressed[0]);
        assertEquals("close failed", suppressed[0].getMessage());
        assertSame(decoded.getCause(), suppressed[1]);
    }

    @Test
    void shouldRoundTripExceptionWithoutWritableStackTraceOrSuppression() {
        RuntimeException quiet = new RuntimeException("quiet", null, false, false) {
        };
        RuntimeException decoded = assertInstanceOf(RuntimeException.class, roundTrip(quiet));
        assertEquals(quiet.getClass(), decoded.getClass());
        assertEquals(0, decoded.getStackTrace().length);
        decoded.addSuppressed(new RuntimeException("ignored"));
        assertEquals(0, decoded.getSuppressed().length);
        decoded.setStackTrace(new Throwable().getStackTrace());
        assertEquals(0, decoded.getStackTrace().length);
    }

    // ---------------------------------------------------------------- encode errors

    @Test
    void encode_nonSerializableLambda_namesTargetTypeFix() {
        Runnable plain = () -> { };
        SerializationException e = assertThrows(SerializationException.class, () -> codec.encode(plain));
        assertTrue(e.getMessage().contains(plain.getClass().getName()), e.getMessage());
        assertTrue(e.getMessage().contains("Serializable"), e.getMessage());
        assertTrue(e.getMessage().contains("io.ipckit.core.SerializableRunnable"), e.getMessage());
        assertTrue(e.getMessage().contains("(Runnable & Serializable)"), e.getMessage());
    }

    @Test
    void encode_nonSerializableLambdaInAField_namesFieldAndFix() {
        java.util.function.Function<String, Integer> f = String::length;
        SerializationException e = assertThrows(SerializationException.class, () -> codec.encode(new Holder(f)));
        assertTrue(e.getMessage().contains("io.ipckit.core.SerializableFunction"), e.getMessage());
        assertTrue(e.getMessage().contains(Holder.class.getName() + ".payload"), e.getMessage());
    }

    @Test
    void encode_thread_namesClassAndFix() {
        SerializationException e = assertThrows(SerializationException.class, () -> codec.encode(new Thread(() -> { })));
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
        assertTrue(e.getMessage().contains("transient"), e.getMessage());
    }

    @Test
    void encode_objectHoldingOpenStream_namesClassFieldAndFix(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("data.txt"), "data");
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            SerializationException e = assertThrows(SerializationException.class, () -> codec.encode(new Holder(in)));
            assertTrue(e.getMessage().contains("java.io.FileInputStream"), e.getMessage());
            assertTrue(e.getMessage().contains(Holder.class.getName()), e.getMessage());
            assertTrue(e.getMessage().contains("transient"), e.getMessage());
        }
    }

    @Test
    void encode_fieldKryoCannotSerialize_namesClassAndFix() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> codec.encode(new Holder(new java.util.zip.Deflater())));
        assertTrue(e.getMessage().contains("java.util.zip.Deflater"), e.getMessage());
        assertTrue(e.getMessage().contains(Holder.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("transient"), e.getMessage());
        assertFalse(e.getMessage().contains("Serialization trace"), e.getMessage());
    }

    @Test
    void encode_tooLarge_throwsMessageTooLargeNamingLimitAndFix() {
        Codec small = Codec.builder().maxMessageBytes(1024).build();
        assertEquals(1024, small.maxMessageBytes());
        assertEquals(1000, ((byte[]) small.decode(small.encode(new byte[1000]))).length);
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> small.encode(new Holder(new byte[2000])));
        assertTrue(e.getMessage().contains(Holder.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("1024"), e.getMessage());
        assertTrue(e.getMessage().contains("Codec.builder().maxMessageBytes("), e.getMessage());
        // the codec still works afterwards
        assertEquals("ok", small.decode(small.encode("ok")));
        assertEquals(Codec.DEFAULT_MAX_MESSAGE_BYTES, Codec.defaults().maxMessageBytes());
    }

    // ---------------------------------------------------------------- decode errors

    @Test
    void decode_randomBytes_throwsSerializationException() {
        Random random = new Random(20240229L);
        for (int i = 0; i < 300; i++) {
            byte[] garbage = new byte[2 + random.nextInt(63)];
            random.nextBytes(garbage);
            SerializationException e = assertThrows(SerializationException.class, () -> codec.decode(garbage),
                    () -> "decoded " + Arrays.toString(garbage));
            assertTrue(e.getMessage().startsWith("cannot decode " + garbage.length + " bytes: "), e.getMessage());
        }
    }

    @Test
    void decode_truncatedBytes_reportsTruncation() {
        byte[] full = codec.encode(new Route("r", List.of(new Point(1, 2), new Point(3, 4))));
        for (int cut = 1; cut < full.length; cut++) {
            byte[] truncated = Arrays.copyOf(full, cut);
            SerializationException e = assertThrows(SerializationException.class, () -> codec.decode(truncated));
            assertTrue(e.getMessage().startsWith("cannot decode " + cut + " bytes: "), e.getMessage());
        }
        byte[] lastByteMissing = Arrays.copyOf(full, full.length - 1);
        SerializationException e = assertThrows(SerializationException.class, () -> codec.decode(lastByteMissing));
        assertTrue(e.getMessage().contains("truncated or corrupt input at byte"), e.getMessage());
    }

    @Test
    void decode_trailingBytesOrEmptyInput_isRejected() {
        byte[] encoded = codec.encode("hello");
        byte[] padded = Arrays.copyOf(encoded, encoded.length + 2);
        SerializationException e = assertThrows(SerializationException.class, () -> codec.decode(padded));
        assertTrue(e.getMessage().contains("2 bytes are left over"), e.getMessage());
        assertThrows(SerializationException.class, () -> codec.decode(new byte[0]));
    }

    @Test
    void decode_classInvisibleToClassLoader_namesUnknownClass() {
        byte[] bytes = codec.encode(new Point(1, 2));
        Codec bootstrapOnly = Codec.builder().classLoader(new ClassLoader(null) { }).build();
        SerializationException e = assertThrows(SerializationException.class, () -> bootstrapOnly.decode(bytes));
        assertTrue(e.getMessage().contains("unknown class " + Point.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("classpath"), e.getMessage());
        // JDK classes still decode with that loader
        assertEquals(List.of(1, "a"), bootstrapOnly.decode(codec.encode(List.of(1, "a"))));
    }

    @Test
    void decode_renamedClassInBytes_namesUnknownClass() {
        byte[] bytes = codec.encode(new NotAllowed(5));
        String name = NotAllowed.class.getName();
        int at = indexOf(bytes, name.substring(0, name.length() - 1).getBytes(StandardCharsets.US_ASCII));
        assertTrue(at >= 0, "class name not found in the encoding");
        byte[] renamed = bytes.clone();
        renamed[at + name.indexOf("NotAllowed")] = 'X'; // io.ipckit.core.CodecTest$XotAllowed
        SerializationException e = assertThrows(SerializationException.class, () -> codec.decode(renamed));
        assertTrue(e.getMessage().contains("unknown class io.ipckit.core.CodecTest$XotAllowed"), e.getMessage());
    }

    @Test
    void decode_withExpectedType_checksType() {
        byte[] bytes = codec.encode("text");
        assertEquals("text", codec.decode(bytes, String.class));
        assertEquals("text", codec.decode(bytes, CharSequence.class));
        SerializationException e = assertThrows(SerializationException.class, () -> codec.decode(bytes, Integer.class));
        assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
        assertEquals(5, codec.decode(codec.encode(5), int.class));
        assertNull(codec.decode(codec.encode(null), Point.class));
    }

    @Test
    void decode_rangeOfLargerArray_andSinkEncodingWithoutCopy() {
        byte[] encoded = codec.encode(new Point(7, 8));
        byte[] framed = new byte[encoded.length + 10];
        System.arraycopy(encoded, 0, framed, 4, encoded.length);
        assertEquals(new Point(7, 8), codec.decode(framed, 4, encoded.length));
        assertThrows(IndexOutOfBoundsException.class, () -> codec.decode(framed, 12, encoded.length));

        byte[][] seen = new byte[1][];
        codec.encode(new Point(7, 8), (buffer, length) -> seen[0] = Arrays.copyOf(buffer, length));
        assertArrayEquals(encoded, seen[0]);
        IllegalStateException fromSink = assertThrows(IllegalStateException.class,
                () -> codec.encode("x", (buffer, length) -> { throw new IllegalStateException("sink failed"); }));
        assertEquals("sink failed", fromSink.getMessage());
    }

    // ---------------------------------------------------------------- strict mode

    @Test
    void strict_rejectsClassNotOnAllowList() {
        Codec strict = Codec.builder().strict().build();
        assertTrue(strict.isStrict());
        assertFalse(codec.isStrict());
        byte[] bytes = codec.encode(new NotAllowed(3));
        SerializationException e = assertThrows(SerializationException.class, () -> strict.decode(bytes));
        assertTrue(e.getMessage().contains("class " + NotAllowed.class.getName() + " is not on the codec's allow-list"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Codec.builder().strict().allow(io.ipckit.core.CodecTest.NotAllowed.class)"),
                e.getMessage());
        // nested inside an allowed collection, arrays of it, records and enums, lambdas of a non-allowed class
        for (Object value : List.of(new ArrayList<>(List.of(new NotAllowed(1))), new NotAllowed[0][0], new Point(1, 2),
                Color.RED, (SerializableSupplier<String>) () -> "x")) {
            SerializationException nested = assertThrows(SerializationException.class,
                    () -> strict.decode(codec.encode(value)), value::toString);
            assertTrue(nested.getMessage().contains("is not on the codec's allow-list"), nested.getMessage());
        }
        SerializationException array = assertThrows(SerializationException.class,
                () -> strict.decode(codec.encode(new NotAllowed[] {new NotAllowed(1)})));
        assertTrue(array.getMessage().contains("class " + NotAllowed.class.getName() + " is not"), array.getMessage());
    }

    @Test
    void strict_acceptsAllowedClassesPackagesAndBaseline() {
        Codec byClass = Codec.builder().strict().allow(NotAllowed.class, Point.class).build();
        assertEquals(3, assertInstanceOf(NotAllowed.class, byClass.decode(codec.encode(new NotAllowed(3)))).value);
        assertEquals(List.of(new Point(1, 2)), byClass.decode(codec.encode(List.of(new Point(1, 2)))));
        assertEquals(1, ((Point[]) byClass.decode(codec.encode(new Point[] {new Point(0, 0)}))).length);

        Codec byPackage = Codec.builder().strict().allowPackage("io.ipckit.core").build();
        assertSame(Color.GREEN, byPackage.decode(codec.encode(Color.GREEN)));
        assertEquals("x", ((SerializableSupplier<?>) byPackage.decode(codec.encode((SerializableSupplier<String>) () -> "x"))).get());

        Codec baseline = Codec.builder().strict().build();
        Map<String, Object> map = new HashMap<>(Map.of("ints", new int[] {1}, "list", List.of("a"), "when", Instant.EPOCH));
        Map<?, ?> decoded = assertInstanceOf(Map.class, baseline.decode(codec.encode(map)));
        assertEquals(List.of("a"), decoded.get("list"));
        IllegalStateException error = assertInstanceOf(IllegalStateException.class,
                baseline.decode(codec.encode(new IllegalStateException("boom", new java.io.IOException("io")))));
        assertEquals("io", error.getCause().getMessage());
        assertNull(baseline.decode(codec.encode(null)));
    }

    // ---------------------------------------------------------------- builder

    @Test
    void builder_rejectsInvalidSettingsWithClearMessages() {
        IllegalStateException noStrict = assertThrows(IllegalStateException.class,
                () -> Codec.builder().allow(Point.class).build());
        assertTrue(noStrict.getMessage().contains("strict()"), noStrict.getMessage());
        assertThrows(IllegalStateException.class, () -> Codec.builder().allowPackage("com.acme").build());

        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> Codec.builder().maxMessageBytes(0));
        assertTrue(size.getMessage().contains("maxMessageBytes"), size.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Codec.builder().maxMessageBytes(-5));
        assertThrows(IllegalArgumentException.class, () -> Codec.builder().allow());
        assertThrows(IllegalArgumentException.class, () -> Codec.builder().allow(Point.class, null));
        IllegalArgumentException pkg = assertThrows(IllegalArgumentException.class,
                () -> Codec.builder().allowPackage("not a package!"));
        assertTrue(pkg.getMessage().contains("not a package!"), pkg.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Codec.builder().allowPackage(""));
        assertThrows(IllegalArgumentException.class, () -> Codec.builder().classLoader(null));

        Codec ok = Codec.builder().allowPackage("com.acme.*").strict().maxMessageBytes(64).build();
        assertTrue(ok.isStrict());
        assertEquals(64, ok.maxMessageBytes());
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void shouldEncodeAndDecodeConcurrentlyFromManyThreads() throws Exception {
        int threads = 4;
        int perThread = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        Route value = new Route("t" + thread + "-" + i, List.of(new Point(thread, i)));
                        Object decoded = codec.decode(codec.encode(value));
                        if (value.equals(decoded)) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(perThread, result.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
