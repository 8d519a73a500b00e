package io.ipckit.pool.internal.caller;

/**
 * Where a pool reports what it survives (a callback that threw, a result message it could not read):
 * standard error, naming the pool. Shared by every engine (local and cluster). Any thread; never throws.
 */
public final class PoolLog {
    private final String pool;

    public PoolLog(String pool) {
        this.pool = pool;
    }

    /** Reports that {@code where} threw {@code t}, and that the pool goes on. */
    public void report(String where, Throwable t) {
        System.err.println("ipckit pool '" + pool + "': " + where + " threw; the pool goes on:");
        t.printStackTrace();
    }

    /** Reports a one-line problem. */
    public void warn(String message) {
        System.err.println("ipckit pool '" + pool + "': " + message);
    }
}
