package io.ipckit.core;

import io.ipckit.core.internal.manager.Remote;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.CounterChildMain;
import io.ipckit.core.test.HandleChildMain;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.core.test.UserTypes;
import io.ipckit.core.test.UserTypes.Counter;
import io.ipckit.core.test.UserTypes.CounterImpl;
import io.ipckit.core.test.UserTypes.Greeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Objects of the user's own types hosted in a manager ({@link Manager#register}, {@link Manager#proxy}). */
class UserObjectTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    void register_thenProxy_keepsStateBetweenCalls() {
        try (Manager m = Manager.embedded()) {
            m.register("counter", Counter.class, CounterImpl::new);
            Counter c = m.proxy("counter", Counter.class);
            assertEquals(1, c.increment());
            assertEquals(2, c.increment());
            assertEquals(2, c.get());
            assertEquals(5, c.add(3));
            assertEquals(7, c.incrementTwice(), "a default method runs on the hosted object");
            Counter other = m.proxy("counter", Counter.class);
            assertEquals(7, other.get(), "a second proxy reaches the same object");
            assertEquals(c, other);
            assertEquals(c.hashCode(), other.hashCode());
            assertTrue(c.toString().contains("Counter") && c.toString().contains("'counter'"), c.toString());
            assertInstanceOf(Serializable.class, c);
        }
    }

    @Test
    void register_sameNameSameInterface_keepsTheExistingObject() {
        try (Manager m = Manager.embedded()) {
            m.register("counter", Counter.class, () -> new CounterImpl(10));
            m.proxy("counter", Counter.class).increment();
            m.register("counter", Counter.class, () -> UserTypes.explode("must not run"));
            assertEquals(11, m.proxy("counter", Counter.class).get());
        }
    }

    @Test
    void register_sameNameOtherInterface_isRefusedNamingBoth() {
        try (Manager m = Manager.embedded()) {
            m.register("counter", Counter.class, CounterImpl::new);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.register("counter", Greeter.class, () -> who -> "hi " + who));
            assertTrue(e.getMessage().contains(Counter.class.getName())
                    && e.getMessage().contains(Greeter.class.getName()), e.getMessage());
            assertEquals(1, m.proxy("counter", Counter.class).increment(), "the object is still usable");
        }
    }

    @Test
    void register_classNotInterface_isRefusedWithTheFix() {
        try (Manager m = Manager.embedded()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.register("counter", CounterImpl.class, CounterImpl::new));
            assertTrue(e.getMessage().contains(CounterImpl.class.getName())
                    && e.getMessage().contains("not an interface"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.proxy("counter", Counter.class),
                    "nothing was registered");
        }
    }

    @Test
    void register_factoryThrows_failsWithTheRemoteStackAndTheNameStaysFree() {
        try (Manager m = Manager.embedded()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> m.register("counter", Counter.class, () -> UserTypes.explode("no counter today")));
            assertEquals("no counter today", e.getMessage());
            assertTrue(hasFrame(e, UserTypes.class, "explode"), stack(e));
            assertTrue(hasCallSite(e), "the caller's call site is attached");
            m.register("counter", Counter.class, () -> new CounterImpl(41));
            assertEquals(42, m.proxy("counter", Counter.class).increment());
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void register_factoryReturnsNullOrAnotherType_isRefusedAndTheNameStaysFree() {
        try (Manager m = Manager.embedded()) {
            IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                    () -> m.register("counter", Counter.class, () -> null));
            assertTrue(nul.getMessage().contains("'counter'") && nul.getMessage().contains("null"), nul.getMessage());
            SerializableSupplier wrong = () -> "not a counter";
            IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                    () -> m.register("counter", Counter.class, wrong));
            assertTrue(other.getMessage().contains("java.lang.String")
                    && other.getMessage().contains(Counter.class.getName()), other.getMessage());
            m.register("counter", Counter.class, CounterImpl::new);
            assertEquals(1, m.proxy("counter", Counter.class).increment());
        }
    }

    @Test
    void register_unserializableFactory_isRefusedAtRegister() {
        try (Manager m = Manager.embedded()) {
            Thread captured = new Thread(() -> { });
            SerializationException e = assertThrows(SerializationException.class,
                    () -> m.register("counter", Counter.class, () -> new CounterImpl(captured.getId())));
            assertTrue(e.getMessage().contains("'counter'") && e.getMessage().contains("SerializableSupplier")
                    && e.getMessage().contains("java.lang.Thread"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.proxy("counter", Counter.class));
        }
    }

    @Test
    void proxy_unknownName_isRefusedNamingTheObjectAndInterface() {
        try (Manager m = Manager.embedded()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.proxy("nobody", Counter.class));
            assertTrue(e.getMessage().contains("'nobody'") && e.getMessage().contains(Counter.class.getName())
                    && e.getMessage().contains("register"), e.getMessage());
            m.map("settings");
            IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                    () -> m.proxy("settings", Counter.class));
            assertTrue(kind.getMessage().contains("'settings'") && kind.getMessage().contains("map"), kind.getMessage());
            IllegalArgumentException cls = assertThrows(IllegalArgumentException.class,
                    () -> m.proxy("settings", CounterImpl.class));
            assertTrue(cls.getMessage().contains("not an interface"), cls.getMessage());
        }
    }

    @Test
    void proxy_interfaceTheObjectDoesNotImplement_isRefusedNamingBoth() {
        try (Manager m = Manager.embedded()) {
            m.register("counter", Counter.class, CounterImpl::new);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.proxy("counter", Greeter.class));
            assertTrue(e.getMessage().contains("'counter'") && e.getMessage().contains(Greeter.class.getName())
                    && e.getMessage().contains(Counter.class.getName()), e.getMessage());
        }
    }

    @Test
    void call_hostedObjectThrows_rethrowsItsTypeMessageAndRemoteStack() {
        try (Manager m = Manager.embedded()) {
            m.register("counter", Counter.class, CounterImpl::new);
            Counter c = m.proxy("counter", Counter.class);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.fail("bad state"));
            assertEquals("bad state", e.getMessage());
            assertTrue(hasFrame(e, CounterImpl.class, "fail"), stack(e));
            assertTrue(hasCallSite(e), "the caller's call site is attached");
            assertEquals(1, c.increment(), "the object is still usable");
        }
    }

    @Test
    void call_declaredCheckedException_isRethrownAsIs() {
        try (Manager m = Manager.embedded()) {
            m.register("counter", Counter.class, CounterImpl::new);
            Counter c = m.proxy("counter", Counter.class);
            c.increment();
            IOException e = assertThrows(IOException.class, () -> c.check(5));
            assertEquals("count is 1, expected 5", e.getMessage());
            assertTrue(hasFrame(e, CounterImpl.class, "check"), stack(e));
        }
    }

    @Test
    void call_undeclaredCheckedException_isWrappedInRemoteException() {
        try (Manager m = Manager.embedded()) {
            m.register("counter", Counter.class, CounterImpl::new);
            Counter c = m.proxy("counter", Counter.class);
            RemoteException e = assertThrows(RemoteException.class, () -> c.sneaky("hidden"));
            assertEquals(Exception.class, e.getCause().getClass());
            assertEquals("hidden", e.getCause().getMessage());
            assertTrue(hasFrame(e.getCause(), CounterImpl.class, "sneaky"), stack(e.getCause()));
        }
    }

    @Test
    void call_resultOrArgumentCannotBeEncoded_failsNamingMethodAndClass_andTheObjectStaysUsable() {
        try (Manager m = Manager.embedded()) {
            m.register("counter", Counter.class, CounterImpl::new);
            Counter c = m.proxy("counter", Counter.class);
            SerializationException result = assertThrows(SerializationException.class, c::resource);
            assertTrue(result.getMessage().contains("Counter.resource()")
                    && result.getMessage().contains("java.io.ByteArrayInputStream"), result.getMessage());
            assertEquals(1, c.increment(), "the object is still usable");
            SerializationException arg = assertThrows(SerializationException.class,
                    () -> c.add(new Thread(() -> { })));
            assertTrue(arg.getMessage().contains("Counter.add(Object)")
                    && arg.getMessage().contains("java.lang.Thread"), arg.getMessage());
            assertEquals(3, c.add(2L), "the object is still usable");
        }
    }

    @Test
    void proxy_throughTheCodec_reachesTheSameObject() {
        try (Manager m = Manager.embedded()) {
            m.register("counter", Counter.class, () -> new CounterImpl(7));
            Counter c = m.proxy("counter", Counter.class);
            Counter copy = (Counter) Codec.defaults().decode(Codec.defaults().encode(c));
            assertEquals(c, copy);
            assertEquals(8, copy.increment());
            assertEquals(8, c.get());
        }
    }

    @Test
    void codec_anyDynamicProxyWithAnEncodableHandler_roundTrips() {
        Greeter g = (Greeter) Proxy.newProxyInstance(Greeter.class.getClassLoader(), new Class<?>[] {Greeter.class},
                new Echo("hi "));
        Greeter copy = (Greeter) Codec.defaults().decode(Codec.defaults().encode(g));
        assertTrue(Proxy.isProxyClass(copy.getClass()));
        assertEquals("hi greet(you)", copy.greet("you"));
        InvocationHandler notSerializable = (proxy, method, args) -> null;
        Greeter bad = (Greeter) Proxy.newProxyInstance(Greeter.class.getClassLoader(), new Class<?>[] {Greeter.class},
                notSerializable);
        assertThrows(SerializationException.class, () -> Codec.defaults().encode(bad));
    }

    /** A plain serializable invocation handler: answers "prefix + method(args)". */
    static final class Echo implements InvocationHandler, Serializable {
        private static final long serialVersionUID = 1L;
        private final String prefix;

        Echo(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            return prefix + method.getName() + "(" + String.join(", ", Arrays.stream(args).map(String::valueOf)
                    .toArray(String[]::new)) + ")";
        }
    }

    @Test
    void call_fromAHostedObjectToItsOwnManager_isRefusedInsteadOfHanging() {
        try (Manager m = Manager.embedded()) {
            m.register("a", Counter.class, CounterImpl::new);
            m.register("b", Counter.class, () -> new CounterImpl(5));
            Counter a = m.proxy("a", Counter.class);
            Counter b = m.proxy("b", Counter.class);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.readVia(b));
            assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("same manager"), e.getMessage());
            assertEquals(5, b.get(), "the manager is still usable");
        }
    }

    @Test
    @Timeout(60)
    void start_objectLivesInTheManagerJvm_andProxiesPassedToChildrenShareIt() throws Exception {
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            m.register("counter", Counter.class, CounterImpl::new);
            Counter c = m.proxy("counter", Counter.class);
            long here = ProcessHandle.current().pid();
            assertEquals(m.pid(), c.pid());
            assertNotEquals(here, c.pid());
            assertEquals(m.pid(), c.defaultPid(), "a default method runs in the manager too");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.fail("remote"));
            assertTrue(hasFrame(e, CounterImpl.class, "fail"), stack(e));

            String encoded = HandleChildMain.encode(c);
            List<Process> ps = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ps.add(children.start(CounterChildMain.class, encoded, "500"));
            }
            for (Process p : ps) {
                assertEquals(0, children.await(p, 60), children.logOf(p));
            }
            assertEquals(1000, c.get());
        }
    }

    private static boolean hasFrame(Throwable e, Class<?> type, String method) {
        return Arrays.stream(e.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(type.getName()) && f.getMethodName().equals(method));
    }

    private static boolean hasCallSite(Throwable e) {
        return Arrays.stream(e.getSuppressed()).anyMatch(s -> s instanceof Remote.CallSite);
    }

    private static String stack(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
