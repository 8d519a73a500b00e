package io.ipckit.pool.internal.caller;

import io.ipckit.core.Channel;
import io.ipckit.core.Codec;
import io.ipckit.core.internal.SpaceLayout;
import io.ipckit.core.internal.channel.ChannelFiles;
import io.ipckit.core.internal.channel.ExcerptLayout;
import io.ipckit.pool.internal.Messages;
import io.ipckit.pool.internal.PoolFiles;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the tasks a dead worker had claimed from the task channel but not yet announced in its slot
 * (it died in the microseconds between the two). Reads the claim words of the task channel's
 * excerpts ({@link ExcerptLayout}: the claimer's pid), which consumers set in channel order, so the
 * claimed excerpts form a prefix and the scan stops at the first free one. Only the pool's result
 * thread uses it, and only when a worker died while it was not running a task.
 *
 * <p>The next scan resumes where this one stopped, except that it goes back to the last excerpt
 * claimed by each live worker that was itself between claiming and announcing.
 */
final class ClaimScanner implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final Codec codec;
    private long resumeIndex = -1;

    ClaimScanner(Path spaceDir, Codec codec) {
        this.codec = codec;
        Path dir = new SpaceLayout(spaceDir).channelQueue(PoolFiles.TASKS);
        this.queue = ChannelFiles.open(dir, Channel.DEFAULT_ROLL_CYCLE, codec.maxMessageBytes());
        this.tailer = queue.createTailer();
    }

    /**
     * The sequence numbers of the tasks claimed by {@code deadPid}.
     *
     * @param pollingPids pids of live workers that may hold a claimed, unannounced task
     */
    List<Long> claimedBy(int deadPid, Set<Integer> pollingPids) {
        if (resumeIndex < 0 || !tailer.moveToIndex(resumeIndex)) {
            tailer.toStart();
        }
        List<Long> found = new ArrayList<>();
        Map<Integer, Long> lastClaimOfPolling = new HashMap<>();
        long stop = -1;
        byte[] buf = new byte[256];
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                long index = dc.index();
                Bytes<?> bytes = dc.wire().bytes();
                long start = bytes.readPosition();
                if (bytes.readRemaining() < ExcerptLayout.HEADER) {
                    continue;
                }
                int claimant = ExcerptLayout.claimant(bytes, start);
                if (claimant == ExcerptLayout.FREE) {
                    stop = index;
                    break;
                }
                if (pollingPids.contains(claimant)) {
                    lastClaimOfPolling.put(claimant, index);
                }
                if (claimant == deadPid) {
                    int n = (int) (bytes.readRemaining() - ExcerptLayout.HEADER);
                    if (buf.length < n) {
                        buf = new byte[n];
                    }
                    bytes.read(start + ExcerptLayout.HEADER, buf, 0, n);
                    try {
                        byte[] m = Messages.of(codec.decode(buf, 0, n));
                        if (m != null && Messages.kind(m) == Messages.TASK) {
                            found.add(Messages.seq(m));
                        }
                    } catch (RuntimeException e) {
                        // not a task we can read: the worker could not have run it either
                    }
                }
            }
        }
        long resume = stop >= 0 ? stop : tailer.index();
        for (long i : lastClaimOfPolling.values()) {
            resume = Math.min(resume, i);
        }
        resumeIndex = resume;
        return found;
    }

    @Override
    public void close() {
        queue.close();
    }
}
