package io.ipckit.pool.internal.caller;

import io.ipckit.core.Channel;
import io.ipckit.pool.internal.Messages;
import io.ipckit.pool.internal.WorkerSlots;

/**
 * The caller's end of the task channel: puts a message on it and wakes a worker that sleeps on its
 * doorbell ({@link Doorbells}). Thread role: any thread; does not block (the channel is unbounded).
 */
final class TaskQueue {
    private final Channel<Object> tasks;
    private final Doorbells doorbells;
    private final WorkerSlots slots;

    /** @param doorbells null when the pool has none (its idle workers poll) */
    TaskQueue(Channel<Object> tasks, Doorbells doorbells, WorkerSlots slots) {
        this.tasks = tasks;
        this.doorbells = doorbells;
        this.slots = slots;
    }

    /**
     * Puts the message {@code t} ({@link Messages}) and rings a sleeping worker.
     *
     * @throws io.ipckit.core.SerializationException when the message cannot be encoded or is too large
     * @throws io.ipckit.core.ChannelClosedException when the pool's space is closed
     */
    void put(byte[] t) throws InterruptedException {
        tasks.put(t);
        if (doorbells != null) {
            doorbells.ring(slots);
        }
    }
}
