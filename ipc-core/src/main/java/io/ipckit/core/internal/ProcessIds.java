package io.ipckit.core.internal;

import java.time.Instant;
import java.util.Optional;

/**
 * A process named by its pid and start time, as the mapped tables that list processes keep them (a
 * queue's consumers, a pipe's users): a pid alone could be reused by another process. Any thread.
 */
public final class ProcessIds {
    /** Start times read twice of one process may differ by the clock's tick; pids are not reused so fast. */
    public static final long START_SLACK_MS = 1_000;
    /** This process's pid. */
    public static final long MY_PID = ProcessHandle.current().pid();
    /** This process's start time, epoch ms; 0 when the OS does not say. */
    public static final long MY_START = startOf(ProcessHandle.current()).orElse(0L);

    private ProcessIds() {
    }

    /** Whether {@code pid} with {@code start} is this process. */
    public static boolean isMe(long pid, long start) {
        return pid == MY_PID && Math.abs(start - MY_START) <= START_SLACK_MS;
    }

    /** Whether the process {@code pid} that started at {@code start} (epoch ms; 0: unknown) lives. */
    public static boolean alive(long pid, long start) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        Optional<Long> s = startOf(p.get());
        return s.isEmpty() || start == 0 || Math.abs(s.get() - start) <= START_SLACK_MS;
    }

    private static Optional<Long> startOf(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli);
    }
}
