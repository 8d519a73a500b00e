package io.ipckit.core.internal;

import io.ipckit.core.Codec;
import io.ipckit.core.internal.manager.protocol.Kind;
import io.ipckit.core.internal.manager.protocol.MapProtocol;
import io.ipckit.core.internal.manager.protocol.Operation;
import io.ipckit.core.internal.manager.protocol.Protocol;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The golden form of what ipckit writes into a space, for {@link SpaceLayout#DATA_FORMAT}: the codec's
 * bytes of values whose form ipckit decides (its own serializers and class ids), the manager's requests
 * and replies (which are also the journal's records), and the table of operation codes. A change that
 * alters any of them fails here: bump {@code DATA_FORMAT} (so that spaces of the old form are refused
 * with a {@link io.ipckit.core.SpaceFormatException} instead of their messages going to the dead letters)
 * and record the new form below, with {@link #GOLDEN_FORMAT} set to the new number.
 */
class DataFormatTest extends LeakCheckingTest {
    /** The data format the golden forms below were recorded for. */
    private static final int GOLDEN_FORMAT = 2;

    private static final Map<String, String> GOLDEN = Map.ofEntries(
            Map.entry("enumMap", "01006a6176612e7574696c2e456e756d4d61f00101016a6176612e7574696c2e636f6e63757272656e742e54"
                    + "696d65556e69f4010303018273"),
            Map.entry("exception", "01006a6176612e6c616e672e496c6c6567616c5374617465457863657074696fee01626f6fed020000000182"
                    + "4301826d01432e6a6176e102000101016a6176612e6c616e672e496c6c6567616c417267756d656e74457863"
                    + "657074696fee0163617573e5010001000100"),
            Map.entry("hashMap", "1701020301826b0202"),
            Map.entry("list.of", "01006a6176612e7574696c2e496d6d757461626c65436f6c6c656374696f6e73244c69737431b20102020202"
                    + "04"),
            Map.entry("map.of", "01006a6176612e7574696c2e496d6d757461626c65436f6c6c656374696f6e73244d6170b101020301826b02"
                    + "02"),
            Map.entry("objectArray.mixed", "0d01030009020301826100"),
            Map.entry("objectArray.same", "0d01030109020406"),
            Map.entry("objectArray.sharedAndCycle", "0d010201140182030001827803"),
            Map.entry("operations", "0 manager 1 hello;0 manager 2 bye;0 manager 3 shutdown;0 manager 4 ping;"
                    + "0 manager 5 describe;1 map 0 create;1 map 1 get;1 map 2 getOrDefault;"
                    + "1 map 3 put;1 map 4 putIfAbsent;1 map 5 remove;1 map 6 removeIf;1 map 7 replace;"
                    + "1 map 8 replaceIf;1 map 9 containsKey;1 map 10 containsValue;1 map 11 size;"
                    + "1 map 12 clear;1 map 13 putAll;1 map 14 snapshot;1 map 15 keys;2 list 0 create;"
                    + "2 list 1 get;2 list 2 set;2 list 3 add;2 list 4 insert;2 list 5 removeAt;"
                    + "2 list 6 remove;2 list 7 indexOf;2 list 8 lastIndexOf;2 list 9 contains;"
                    + "2 list 10 size;2 list 11 clear;2 list 12 addAll;2 list 13 addAllAt;"
                    + "2 list 14 removeRange;2 list 15 snapshot;2 list 16 versioned;"
                    + "2 list 17 replaceIf;2 list 18 setIf;2 list 19 removeAtIf;2 list 20 insertIf;"
                    + "3 queue 0 create;4 lock 0 create;4 lock 1 acquire;4 lock 2 release;"
                    + "4 lock 3 isHeldBy;4 lock 4 holdCount;4 lock 5 isLocked;4 lock 6 queueLength;"
                    + "5 semaphore 0 create;5 semaphore 1 acquire;5 semaphore 2 release;"
                    + "5 semaphore 3 available;5 semaphore 4 drain;6 condition 0 create;"
                    + "6 condition 1 await;6 condition 2 signal;6 condition 3 signalAll;"
                    + "7 event 0 create;7 event 1 set;7 event 2 clear;7 event 3 isSet;7 event 4 await;"
                    + "8 barrier 0 create;8 barrier 1 await;8 barrier 2 continue;8 barrier 3 abandon;"
                    + "8 barrier 4 reset;8 barrier 5 abort;8 barrier 6 isBroken;"
                    + "8 barrier 7 numberWaiting;8 barrier 8 parties;9 long 0 create;10 value 0 create;"
                    + "10 value 1 get;10 value 2 set;10 value 3 getAndSet;10 value 4 compareAndSet;"
                    + "10 value 5 updateAndGet;10 value 6 getAndUpdate;11 object 0 create;"
                    + "11 object 1 lookup;11 object 2 invoke;"),
            Map.entry("path", "010073756e2e6e696f2e66732e556e6978506174e8012f746d702f6970636b69f4"),
            Map.entry("registered", "0d01080011010302041301020182610e01031f01010000000000000002000000000000001e01020f02200102"
                    + "022101050622010000000000000000c09fab03"),
            Map.entry("reply.error", "2601050101006a6176612e6c616e672e496c6c6567616c5374617465457863657074696fee01726566757365"
                    + "e401000100"),
            Map.entry("reply.value", "2601040003018276"),
            Map.entry("request", "250103040103636f756e74f302030182610202"),
            Map.entry("string", "03016970636b69f4"),
            Map.entry("unmodifiableList", "01006a6176612e7574696c2e436f6c6c656374696f6e7324556e6d6f6469666961626c6552616e646f6d4163"
                    + "636573734c6973f4010103018261"));

    @Test
    @Timeout(30)
    void theBytesIpckitWritesAreTheGoldenFormOfThisDataFormat() {
        assertEquals(GOLDEN_FORMAT, SpaceLayout.DATA_FORMAT, "SpaceLayout.DATA_FORMAT changed: record the golden"
                + " forms of the new format below (the test's failure lists them) and set GOLDEN_FORMAT to it");
        Map<String, String> actual = new TreeMap<>();
        Codec codec = Codec.defaults();
        samples().forEach((name, value) -> actual.put(name, HexFormat.of().formatHex(codec.encode(value))));
        actual.put("operations", operations());
        Map<String, String> changed = new TreeMap<>();
        actual.forEach((name, form) -> {
            if (!form.equals(GOLDEN.get(name))) {
                changed.put(name, form);
            }
        });
        if (!changed.isEmpty() || !GOLDEN.keySet().equals(actual.keySet())) {
            StringBuilder b = new StringBuilder("the form of what ipckit writes into a space changed (data format "
                    + SpaceLayout.DATA_FORMAT + "): if that is meant, bump SpaceLayout.DATA_FORMAT, set GOLDEN_FORMAT to"
                    + " it and record these forms:\n");
            actual.forEach((name, form) -> b.append("            Map.entry(\"").append(name).append("\", \"")
                    .append(form).append("\"),").append(changed.containsKey(name) ? " // changed" : "").append('\n'));
            fail(b.toString());
        }
    }

    /** Values whose encoded form ipckit decides, each alone so that a change names what changed. */
    private static Map<String, Object> samples() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("string", "ipckit");
        s.put("objectArray.same", new Object[] {1L, 2L, 3L});
        s.put("objectArray.mixed", new Object[] {1L, "a", null});
        ArrayList<Object> shared = new ArrayList<>();
        shared.add("x");
        s.put("objectArray.sharedAndCycle", new Object[] {shared, shared});
        s.put("list.of", List.of(1, 2));
        s.put("map.of", Map.of("k", 1));
        s.put("unmodifiableList", Collections.unmodifiableList(new ArrayList<>(List.of("a"))));
        HashMap<String, Integer> hashMap = new HashMap<>();
        hashMap.put("k", 1);
        s.put("hashMap", hashMap);
        EnumMap<TimeUnit, String> enumMap = new EnumMap<>(TimeUnit.class);
        enumMap.put(TimeUnit.SECONDS, "s");
        s.put("enumMap", enumMap);
        s.put("path", Path.of("/tmp/ipckit"));
        s.put("registered", new Object[] {new long[] {1, 2}, new String[] {"a"}, String.class, UUID.fromString(
                "00000000-0000-0001-0000-000000000002"), BigDecimal.valueOf(15, 1), Optional.of(1),
                Instant.ofEpochSecond(5, 6), Duration.ofMillis(7)});
        IllegalStateException error = new IllegalStateException("boom", new IllegalArgumentException("cause"));
        error.setStackTrace(new StackTraceElement[] {new StackTraceElement("C", "m", "C.java", 1)});
        error.getCause().setStackTrace(new StackTraceElement[0]);
        s.put("exception", error);
        s.put("request", new Protocol.Request(3, 4, MapProtocol.PUT, "counts", new Object[] {"a", 1}));
        s.put("reply.value", new Protocol.Reply(4, "v", null));
        IllegalStateException refused = new IllegalStateException("refused");
        refused.setStackTrace(new StackTraceElement[0]);
        s.put("reply.error", new Protocol.Reply(5, null, refused));
        return s;
    }

    /** Every operation code of every kind: "kind code label" lines. */
    private static String operations() {
        StringBuilder b = new StringBuilder();
        for (Kind k : Kind.values()) {
            for (int code = 0; code <= Byte.MAX_VALUE; code++) {
                Operation op;
                try {
                    op = k.operation(code, "");
                } catch (UnsupportedOperationException absent) {
                    continue;
                }
                b.append(k.code()).append(' ').append(k.label()).append(' ').append(code).append(' ')
                        .append(op.label()).append(';');
            }
        }
        return b.toString();
    }
}
