package io.ipckit.cluster.internal.pool;

import com.hazelcast.collection.IQueue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * The thread {@code ipckit-cluster-pool-send-<name>}: puts a cluster pool's sealed task envelopes on the
 * cluster's task queue, as many as are waiting in one {@code addAll} (up to 256), so that submitting never
 * waits for the network. A batch the cluster refuses or that times out (the client's invocation timeout,
 * 30 s) is handed to {@code failed}. {@link #send} is for any thread; the rest runs on the sender thread.
 */
final class TaskSender {
    private static final long TICK_MILLIS = 100;

    private final IQueue<byte[]> queue;
    private final LinkedBlockingQueue<InFlight.Task> outbox = new LinkedBlockingQueue<>();
    private final BooleanSupplier running;
    private final BiConsumer<List<InFlight.Task>, RuntimeException> failed;
    private final Thread thread;

    /**
     * @param running whether to go on (checked every 100 ms)
     * @param failed given a batch that could not be queued, and why; on the sender thread
     */
    TaskSender(IQueue<byte[]> queue, String pool, BooleanSupplier running,
               BiConsumer<List<InFlight.Task>, RuntimeException> failed) {
        this.queue = queue;
        this.running = running;
        this.failed = failed;
        this.thread = new Thread(this::run, "ipckit-cluster-pool-send-" + pool);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues {@code t} to be put on the task queue. Any thread; does not block. */
    void send(InFlight.Task t) {
        outbox.add(t);
    }

    boolean isIdle() {
        return outbox.isEmpty();
    }

    /** Waits up to 5 s for the thread to end (once {@code running} is false). */
    void join() {
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<InFlight.Task> batch = new ArrayList<>();
        while (running.getAsBoolean()) {
            try {
                InFlight.Task t = outbox.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
                if (t == null) {
                    continue;
                }
                batch.add(t);
                outbox.drainTo(batch, 255);
            } catch (InterruptedException e) {
                return;
            }
            List<byte[]> sealed = new ArrayList<>(batch.size());
            for (InFlight.Task t : batch) {
                sealed.add(t.sealed);
            }
            try {
                queue.addAll(sealed);
                long now = System.nanoTime();
                for (InFlight.Task t : batch) {
                    t.sentAt = now;
                }
            } catch (RuntimeException e) {
                failed.accept(List.copyOf(batch), e);
            }
            batch.clear();
        }
    }
}
