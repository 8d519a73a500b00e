package io.ipckit.core.internal.channel;

import io.ipckit.core.Channel;

/**
 * The shared queue's way to a {@link Channel}'s operations that are not API: {@code LocalQueue} runs its
 * own waits (it watches its manager and its consumers' table between attempts), so it needs the
 * channel's single non-blocking attempts, its scan, and its counters. The JDK's {@code SharedSecrets}
 * idiom: {@code Channel} installs the one {@link Access} from its static initialiser, so those operations
 * stay out of {@code Channel}'s public methods while a class of another package reaches them. Not API.
 *
 * <p>Any thread. {@link #get()} initialises {@code Channel} when it has not been yet.
 */
public final class ChannelAccess {
    private static volatile Access access;

    private ChannelAccess() {
    }

    /** What a channel does for its queue; each method is the channel's, with the same contract. */
    public interface Access {
        /** Encodes {@code e} once, for {@link #tryAppend}; throws before anything is reserved or written. */
        <E> ChannelAppender.Encoded encode(Channel<E> channel, E e);

        /** Appends an encoded message unless the channel is bounded and full. Never blocks. */
        boolean tryAppend(Channel<?> channel, ChannelAppender.Encoded encoded);

        /**
         * Shows {@code viewer} each message not yet taken whose index is above {@code after} ({@code -1}: all),
         * decoded, taking those it answers {@link ChannelScanner#TAKE} for. Weakly consistent; never blocks.
         *
         * @return how many messages were taken
         */
        <E> int view(Channel<E> channel, long after, Viewer<? super E> viewer);

        /** Takes every message not yet taken, without decoding them. Never blocks. @return how many */
        int takeAll(Channel<?> channel);

        /** Takes the message at {@code index} when no one has; true when this call took it. Never blocks. */
        boolean takeAt(Channel<?> channel, long index);

        /** The channel's shared counters (a joinable queue keeps its {@code done} count there). */
        ChannelState state(Channel<?> channel);
    }

    /** Sees the messages of {@link Access#view}, decoded; answers as a {@link ChannelScanner.Visitor}. */
    public interface Viewer<E> {
        int view(long index, E element);
    }

    /** Called once, by {@code Channel}'s static initialiser. */
    public static void install(Access a) {
        if (access != null) {
            throw new IllegalStateException("ChannelAccess is installed already");
        }
        access = a;
    }

    /** The channel's access; initialises {@code Channel} first when needed. */
    public static Access get() {
        Access a = access;
        if (a == null) {
            try {
                Class.forName(Channel.class.getName(), true, Channel.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }
}
