package io.ipckit.samples;

import io.ipckit.core.Manager;
import io.ipckit.core.SharedQueue;
import io.ipckit.pool.AsyncResult;
import io.ipckit.pool.Pool;

/**
 * Seed, "the Queue in a process pool": a Manager queue handed to a writer task and a reader task of a
 * pool. The writer puts the letters of "python"; two seconds later the reader takes as many as the queue
 * holds and prints them: p, y, t, h, o, n. Unlike Python's {@code multiprocessing.Queue}, any
 * {@code SharedQueue} may be passed to a pool task: it is a serializable handle.
 */
public final class WriteRead {
    private WriteRead() {
    }

    static void write(SharedQueue<String> q) throws InterruptedException {
        System.out.println("write started (" + Pace.pid() + "), parent (" + Pace.ppid() + ")");
        for (char c : "python".toCharArray()) {
            q.put(String.valueOf(c));
        }
    }

    static void read(SharedQueue<String> q) throws InterruptedException {
        System.out.println("read started (" + Pace.pid() + "), parent (" + Pace.ppid() + ")");
        for (int i = 0, n = q.qsize(); i < n; i++) {
            System.out.println("read got from the queue: " + q.get());
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("(" + Pace.pid() + ") start");
        try (Manager m = Manager.start()) {
            SharedQueue<String> q = m.queue("letters");       // multiprocessing.Manager().Queue()
            Pool po = Pool.create();                          // one worker per processor
            AsyncResult<Object> writer = po.applyAsync(() -> {
                write(q);
                return null;
            });
            Thread.sleep(Pace.ms(2_000));
            writer.get();                                     // (the writer is done by now; this makes sure)
            po.applyAsync(() -> {
                read(q);
                return null;
            });
            po.close();
            po.join();
        }
        System.out.println("(" + Pace.pid() + ") end");
    }
}
