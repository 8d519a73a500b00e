package io.ipckit.core;

/**
 * A channel's Chronicle file cannot be read past some point: its excerpt headers were damaged on disk or
 * changed by something other than ipckit. The messages after that point cannot be taken through this
 * channel; the message names the channel, its directory and what to do (recreate the channel under
 * another name, and inspect or remove the damaged files).
 */
public class ChannelCorruptException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the channel, its directory and the fix. */
    public ChannelCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
