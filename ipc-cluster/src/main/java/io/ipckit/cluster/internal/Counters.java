package io.ipckit.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;

import java.util.Map;

/**
 * Atomic counters as entries of one IMap, changed by entry processors on the member that owns the key
 * (the community edition's way: IAtomicLong lives in the CP subsystem). A missing entry counts 0. The
 * processors run on members: ipc-cluster must be on every node's class path (it is: the node is ipckit's).
 */
final class Counters {
    private Counters() {
    }

    static long get(IMap<String, Long> map, String key) {
        Long v = map.get(key);
        return v == null ? 0 : v;
    }

    static long addAndGet(IMap<String, Long> map, String key, long delta) {
        return map.executeOnKey(key, new Add(delta, false));
    }

    static long getAndAdd(IMap<String, Long> map, String key, long delta) {
        return map.executeOnKey(key, new Add(delta, true));
    }

    static long getAndSet(IMap<String, Long> map, String key, long value) {
        return map.executeOnKey(key, new Set(value));
    }

    static boolean compareAndSet(IMap<String, Long> map, String key, long expect, long update) {
        return map.executeOnKey(key, new Cas(expect, update));
    }

    /** Decrements when positive; false (nothing changed) at 0. */
    static boolean decrementIfPositive(IMap<String, Long> map, String key) {
        return map.executeOnKey(key, new DecrementIfPositive());
    }

    private static long value(Map.Entry<String, Long> e) {
        Long v = e.getValue();
        return v == null ? 0 : v;
    }

    static final class Add implements EntryProcessor<String, Long, Long> {
        private static final long serialVersionUID = 1L;
        private final long delta;
        private final boolean returnOld;

        Add(long delta, boolean returnOld) {
            this.delta = delta;
            this.returnOld = returnOld;
        }

        @Override
        public Long process(Map.Entry<String, Long> entry) {
            long old = value(entry);
            entry.setValue(old + delta);
            return returnOld ? old : old + delta;
        }
    }

    static final class Set implements EntryProcessor<String, Long, Long> {
        private static final long serialVersionUID = 1L;
        private final long value;

        Set(long value) {
            this.value = value;
        }

        @Override
        public Long process(Map.Entry<String, Long> entry) {
            long old = value(entry);
            entry.setValue(value);
            return old;
        }
    }

    static final class Cas implements EntryProcessor<String, Long, Boolean> {
        private static final long serialVersionUID = 1L;
        private final long expect;
        private final long update;

        Cas(long expect, long update) {
            this.expect = expect;
            this.update = update;
        }

        @Override
        public Boolean process(Map.Entry<String, Long> entry) {
            if (value(entry) != expect) {
                return false;
            }
            entry.setValue(update);
            return true;
        }
    }

    static final class DecrementIfPositive implements EntryProcessor<String, Long, Boolean> {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean process(Map.Entry<String, Long> entry) {
            long v = value(entry);
            if (v <= 0) {
                return false;
            }
            entry.setValue(v - 1);
            return true;
        }
    }
}
