package io.ipckit.core.test;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Types of "the user's own" for tests of objects hosted in a manager. They are on the test classpath, so a
 * manager JVM started by a test (and every child JVM) can load them.
 */
public final class UserTypes {
    private UserTypes() {
    }

    /** A counter, with methods that exercise every path of a proxy call. */
    public interface Counter {
        long increment();

        long get();

        /** The pid of the JVM that runs the object. */
        long pid();

        /** Throws {@code IllegalStateException(message)}. */
        void fail(String message);

        /** Throws {@code IOException} when the count is not {@code expected}. */
        void check(long expected) throws IOException;

        /** Throws a checked {@code Exception(message)} the method does not declare. */
        void sneaky(String message);

        /** Returns a stream, which the codec refuses to encode. */
        Object resource();

        /** Adds {@code amount} (a Number) to the count. */
        long add(Object amount);

        /** Reads another counter through its proxy, from inside this object. */
        long readVia(Counter other);

        /** Runs in the JVM that hosts the object, as every method of a proxy does. */
        default long incrementTwice() {
            increment();
            return increment();
        }

        default long defaultPid() {
            return ProcessHandle.current().pid();
        }
    }

    /** An interface {@link CounterImpl} does not implement. */
    public interface Greeter {
        String greet(String who);
    }

    public static final class CounterImpl implements Counter {
        private long count;

        public CounterImpl() {
        }

        public CounterImpl(long start) {
            this.count = start;
        }

        @Override
        public long increment() {
            return ++count;
        }

        @Override
        public long get() {
            return count;
        }

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public void fail(String message) {
            throw new IllegalStateException(message);
        }

        @Override
        public void check(long expected) throws IOException {
            if (count != expected) {
                throw new IOException("count is " + count + ", expected " + expected);
            }
        }

        @Override
        public void sneaky(String message) {
            UserTypes.<RuntimeException>throwUnchecked(new Exception(message));
        }

        @Override
        public Object resource() {
            return new ByteArrayInputStream(new byte[] {1, 2, 3});
        }

        @Override
        public long add(Object amount) {
            count += ((Number) amount).longValue();
            return count;
        }

        @Override
        public long readVia(Counter other) {
            return other.get();
        }
    }

    /** A factory body that fails: its frame must show in the caller's remote stack trace. */
    public static Counter explode(String message) {
        throw new IllegalStateException(message);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void throwUnchecked(Throwable t) throws E {
        throw (E) t;
    }
}
