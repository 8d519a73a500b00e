package io.ipckit.cluster.test;

import java.io.IOException;
import java.io.Serializable;

/** An object of a user's own type, for tests of objects hosted by cluster nodes. */
public interface Tally {
    long add(long n);

    long get();

    /** The pid of the process running the object (its node). */
    long pid();

    /** Throws IOException (declared) with {@code message}, or IllegalStateException when it is "unchecked". */
    void fail(String message) throws IOException;

    /** Sleeps {@code millis} in the node, then answers the count. */
    long slow(long millis);

    /** The implementation: a count starting at {@code start}. */
    final class Counting implements Tally, Serializable {
        private static final long serialVersionUID = 1L;
        private long count;

        public Counting(long start) {
            this.count = start;
        }

        @Override
        public long add(long n) {
            count += n;
            return count;
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
        public void fail(String message) throws IOException {
            if (message.equals("unchecked")) {
                throw new IllegalStateException(message);
            }
            throw new IOException(message);
        }

        @Override
        public long slow(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return count;
        }
    }
}
