package io.ipckit.pool;

/**
 * A task failed because the worker JVM running it died: killed ({@code kill -9}), {@code System.exit}
 * in the task, an {@link OutOfMemoryError}, a crash in native code. The message names the worker's
 * pid and exit status and says what is known of the cause; the pool has already started a replacement
 * worker and every other task is unaffected. Ask the pool for retries
 * ({@link Pool.Builder#retries(int)}) to have such a task queued again instead.
 */
public class WorkerCrashedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long pid;
    private final int exitStatus;

    /**
     * @param message what died, while running what, and why when known
     * @param pid the dead worker's pid
     * @param exitStatus its exit status as {@link java.lang.Process#exitValue()} reports it (128 + n
     *     for a JVM ended by signal n)
     */
    public WorkerCrashedException(String message, long pid, int exitStatus) {
        super(message);
        this.pid = pid;
        this.exitStatus = exitStatus;
    }

    /** The pid of the worker that died. */
    public long pid() {
        return pid;
    }

    /** Its exit status: 128 + n when signal n ended it (137 for {@code kill -9}). */
    public int exitStatus() {
        return exitStatus;
    }

    /** "exit status 137 (killed by signal 9, SIGKILL)" and the like. */
    public static String describeStatus(int status) {
        String s = "exit status " + status;
        if (status > 128 && status < 128 + 65) {
            int signal = status - 128;
            s += " (killed by signal " + signal + signalName(signal) + ")";
        }
        return s;
    }

    private static String signalName(int signal) {
        switch (signal) {
            case 6:
                return ", SIGABRT: a crash, see the worker's hs_err file";
            case 9:
                return ", SIGKILL";
            case 11:
                return ", SIGSEGV";
            case 15:
                return ", SIGTERM";
            default:
                return "";
        }
    }
}
