package io.ipckit.core.internal.manager.server;

import io.ipckit.core.Channel;
import io.ipckit.core.internal.manager.protocol.Protocol.Reply;

import java.util.Optional;

/** One connected client, as the manager sees it. Used on the dispatcher thread only. */
public final class Session {
    private final long clientId;
    private final long pid;
    private final Optional<ProcessHandle> process;
    private final Channel<Reply> replies;

    Session(long clientId, long pid, Channel<Reply> replies) {
        this.clientId = clientId;
        this.pid = pid;
        this.process = ProcessHandle.of(pid);
        this.replies = replies;
    }

    public long clientId() {
        return clientId;
    }

    public long pid() {
        return pid;
    }

    boolean processAlive() {
        return process.map(ProcessHandle::isAlive).orElse(false);
    }

    Channel<Reply> replies() {
        return replies;
    }

    @Override
    public String toString() {
        return "client " + Long.toHexString(clientId) + " (pid " + pid + ")";
    }
}
