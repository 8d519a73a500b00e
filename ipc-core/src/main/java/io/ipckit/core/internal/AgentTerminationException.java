package io.ipckit.core.internal;

/**
 * Thrown by {@link Agent#doWork()} to say the agent is done (Agrona's {@code AgentTerminationException}):
 * its {@link AgentRunner} ends the loop, without reporting it, and runs {@link Agent#onClose()}. Thrown
 * once per agent, so it records no stack trace.
 */
public final class AgentTerminationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AgentTerminationException(String message) {
        super(message, null, false, false);
    }
}
