package io.ipckit.core;

import io.ipckit.core.internal.manager.ValueSlots;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.HandleChildMain;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.SharedObjectsChildMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SharedLong} and {@link SharedValue}: semantics in one JVM, atomicity across real JVMs. */
class SharedValuesTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    void sharedLong_atomicOperations_haveAtomicLongSemantics() {
        try (Manager m = Manager.embedded()) {
            SharedLong a = m.sharedLong("a");
            assertEquals("a", a.name());
            assertEquals(0, a.get());
            a.set(10);
            assertEquals(15, a.addAndGet(5));
            assertEquals(15, a.getAndAdd(-3));
            assertEquals(13, a.incrementAndGet());
            assertEquals(12, a.decrementAndGet());
            assertFalse(a.compareAndSet(99, 1));
            assertEquals(12, a.get(), "a failed compareAndSet changes nothing");
            assertTrue(a.compareAndSet(12, 100));
            assertEquals(100, a.getAndSet(7));
            assertEquals(14, a.updateAndGet(x -> x * 2));

            SharedLong same = m.sharedLong("a");
            assertEquals(14, same.get(), "same name, same long");
            same.incrementAndGet();
            assertEquals(15, a.get());
            SharedLong b = m.sharedLong("b");
            assertEquals(0, b.get(), "another name, another slot");
            b.set(-1);
            assertEquals(15, a.get());
        }
    }

    @Test
    void sharedLong_throughTheCodec_sharesTheSameMemory() {
        try (Manager m = Manager.embedded()) {
            SharedLong a = m.sharedLong("coded");
            byte[] bytes = Codec.defaults().encode(a);
            SharedLong copy = (SharedLong) Codec.defaults().decode(bytes, 0, bytes.length);
            copy.addAndGet(42);
            assertEquals(42, a.get());
        }
    }

    @Test
    void sharedLong_moreThanTheSlots_isRefusedNamingTheLimit() {
        try (Manager m = Manager.embedded()) {
            for (int i = 0; i < ValueSlots.SLOTS; i++) {
                m.sharedLong("n" + i).set(i);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.sharedLong("one-too-many"));
            assertTrue(e.getMessage().contains(Integer.toString(ValueSlots.SLOTS)), e.getMessage());
            assertEquals(ValueSlots.SLOTS - 1, m.sharedLong("n" + (ValueSlots.SLOTS - 1)).get(),
                    "existing longs still work");
            assertEquals(0, m.map("still-usable").size());
        }
    }

    @Test
    void sharedLong_afterTheManagerClosed_failsWithManagerGone() throws Exception {
        SharedLong a;
        try (Manager m = Manager.embedded()) {
            a = m.sharedLong("gone");
            a.incrementAndGet();
        }
        Thread.sleep(150); // the liveness look happens at most every 100 ms
        assertThrows(ManagerGoneException.class, a::get);
    }

    @Test
    void sharedValue_operations_areAtomicInTheManager() {
        try (Manager m = Manager.embedded()) {
            SharedValue<String> v = m.value("greeting", "hello");
            assertEquals("greeting", v.name());
            assertEquals("hello", v.get());
            assertEquals("hello", m.value("greeting", "ignored").get(), "the initial value of a reopen is ignored");
            v.set("hi");
            assertEquals("hi", v.getAndSet("hey"));
            assertTrue(v.compareAndSet(new String("hey"), "yo"), "compareAndSet compares with equals");
            assertFalse(v.compareAndSet("hey", "no"));
            assertEquals("yo", v.get());
            assertEquals("yo!", v.updateAndGet(s -> s + "!"));
            assertEquals("yo!", v.getAndUpdate(s -> s + "?"));
            assertEquals("yo!?", v.get());

            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> v.updateAndGet(s -> {
                        throw new IllegalArgumentException("refused " + s);
                    }));
            assertEquals("refused yo!?", thrown.getMessage());
            assertEquals("yo!?", v.get(), "a failed update changes nothing");

            SharedValue<Integer> none = m.value("none", null);
            assertNull(none.get());
            assertTrue(none.compareAndSet(null, 1));
            assertEquals(1, none.get());
        }
    }

    @Test
    void values_nameOfAnotherType_isRefused() {
        try (Manager m = Manager.embedded()) {
            m.sharedLong("x");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.value("x", 1));
            assertTrue(e.getMessage().contains("long") && e.getMessage().contains("value"), e.getMessage());
            m.value("y", 1);
            assertThrows(IllegalArgumentException.class, () -> m.sharedLong("y"));
        }
    }

    @Test
    @Timeout(90)
    void twoJvms_incrementTheLongAndUpdateTheValue_noUpdateIsLost() throws Exception {
        int increments = 10_000;
        int updates = 300;
        try (Manager m = Manager.embedded(); Children children = new Children(work)) {
            SharedLong counter = m.sharedLong("counter");
            SharedValue<Integer> value = m.value("value", 0);
            List<Process> ps = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ps.add(children.start(SharedObjectsChildMain.class, HandleChildMain.encode(counter), "count",
                        HandleChildMain.encode(value), Integer.toString(increments), Integer.toString(updates)));
            }
            for (Process p : ps) {
                assertEquals(0, children.await(p, 60), children.logOf(p));
            }
            assertEquals(2L * increments, counter.get());
            assertEquals(2 * updates, value.get());
        }
    }

    @Test
    @Timeout(60)
    void updateFunctionThatCallsItsOwnManager_isRefusedAtOnce_valueUnchanged() {
        try (Manager m = Manager.embedded()) {
            SharedValue<Integer> v = m.value("v", 1);
            SharedMap<String, Integer> other = m.map("other");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> v.updateAndGet(x -> x + other.getOrDefault("k", 0)));
            assertTrue(e.getMessage().contains("update function") && e.getMessage().contains("'other'"), e.getMessage());
            assertEquals(1, v.get(), "the value is unchanged and the manager still serves");
        }
    }
}
