package io.ipckit.core.internal;

import io.ipckit.core.Channel;
import io.ipckit.core.Codec;
import io.ipckit.core.Manager;
import io.ipckit.core.SerializableFunction;
import io.ipckit.core.SharedQueue;
import io.ipckit.core.Space;

import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * The training run of a program's class-data sharing archive on JDK 17 ({@code ipckit jvm-flags --cds
 * --class-path CP}): started with the program's class path and {@code -XX:ArchiveClassesAtExit}, it does
 * what a first ipckit program does (a manager and its objects, a channel, the codec on a lambda, a pool
 * and one task when the pool module is on the class path) so that the classes those need are in the
 * archive the program's JVM then maps. Prints nothing; exits with 0 when it ran through.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        try (Manager m = Manager.embedded()) {
            SharedQueue<Object> q = m.queue("training");
            q.put(List.of("a", 1));
            q.take();
            m.map("map").put("k", 1);
            m.list("list").add("x");
            Lock lock = m.lock("lock");
            lock.lock();
            lock.unlock();
            m.sharedLong("long").incrementAndGet();
        }
        try (Space space = Space.create()) {
            Channel<Object> c = space.channel("training");
            c.put("x");
            c.take();
        }
        SerializableFunction<Integer, Integer> twice = x -> 2 * x;
        byte[] encoded = Codec.defaults().encode(twice);
        Codec.defaults().decode(encoded, 0, encoded.length);
        runAPoolIfPresent();
    }

    /** {@code Pool.create(1)}, one task, close: through reflection, as ipc-core does not depend on the pool. */
    private static void runAPoolIfPresent() throws Exception {
        Class<?> poolClass;
        try {
            poolClass = Class.forName("io.ipckit.pool.Pool");
        } catch (ClassNotFoundException e) {
            return;
        }
        Object pool = poolClass.getMethod("create", int.class).invoke(null, 1);
        try {
            SerializableFunction<Integer, Integer> inc = x -> x + 1;
            poolClass.getMethod("apply", SerializableFunction.class, Object.class).invoke(pool, inc, 1);
        } finally {
            poolClass.getMethod("close").invoke(pool);
        }
    }
}
