package io.ipckit.samples.bench;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import io.ipckit.cluster.ClusterAddress;
import io.ipckit.cluster.internal.ClusterClient;
import io.ipckit.cluster.internal.NodeMain;
import io.ipckit.core.JvmLauncher;
import io.ipckit.core.Manager;
import io.ipckit.core.SerializableFunction;
import io.ipckit.core.SharedLock;
import io.ipckit.core.SharedMap;
import io.ipckit.core.SharedQueue;
import io.ipckit.pool.AsyncResult;
import io.ipckit.pool.Pool;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The cluster figures ({@code bench --only cluster}), each beside the same operation on raw Hazelcast in
 * the same run: two member JVMs ({@link NodeMain}, as {@code ipckit node} runs them) on 127.0.0.1 with
 * {@code --workers} pool workers each (default 1), this JVM the client of both. Printed as
 * {@code METRIC cluster.<name>}, {@code METRIC raw.cluster.<name>} and {@code METRIC cluster.<name>.vs_raw}
 * (how many times raw's figure ipckit's is, in "better" terms: ipckit / raw for rates, raw / ipckit for
 * latencies; the issue's target is at least 0.9).
 *
 * <p>Raw is a second Hazelcast client of the same members, made with the same client settings as ipckit's
 * ({@link ClusterClient#connect}), using plain {@code IQueue<String>}, {@code IMap<Integer, Integer>},
 * {@code IMap.lock/unlock} and, for the pool figures, Hazelcast's {@code IExecutorService} running the same
 * task in the members' own threads: no encoding, no sealing, no ipckit code. The queue figures run the
 * producer (or ponger) and the consumer as two threads of this JVM sharing the client, on both sides.
 * First the client's own ipckit path is warmed ({@link #warmClientPath}). Each figure is the median of four
 * runs of each side, ipckit's and raw's in ABBA order, after a run that sizes them and 4 s of settling pairs
 * (latencies: the median of each percentile). The pool figures warm up longer: each side 30 s of bursts
 * before the first (the nodes' C2 compiler), then 4 s of growing runs before each; and
 * {@code cluster.pool.apply_async.throughput} runs bursts of 5,000 tasks on both sides, as the local
 * pool's figures warm up and run fixed bursts.
 * The members are stopped at the end whatever happens (SIGTERM, then kill -9 after 3 s). The system
 * property {@code ipckit.bench.nodeJvm} adds JVM options to the members (space-separated).
 *
 * <p>Main thread only.
 */
final class ClusterBench {
    /**
     * Measured runs of each side per figure: even, so that each side runs first in half of the pairs (ABBA:
     * ipckit then raw, raw then ipckit, ...). The members' JIT keeps speeding them up for tens of seconds, so a
     * side that always ran first measured a colder cluster: an A/A check (raw against raw) gave the second
     * side up to 1.3x the first in cold runs, 0.98-1.11 after the settling below.
     */
    private static final int REPEATS = 4;
    /** How long each side warms the nodes up before the first pool figure (a quarter with --quick). */
    private static final double NODE_WARM_UP_SECONDS = 30;
    /** Items per {@code addAll} / {@code drainTo} in the batched queue figure. */
    static final int BATCH = 100;

    private final boolean quick;
    private final String only;
    private final int workers;

    private ClusterBench(boolean quick, String only, int workers) {
        this.quick = quick;
        this.only = only;
        this.workers = workers;
    }

    /** Runs the cluster figures that {@code only} selects; {@code workers} pool workers per node. */
    static void run(boolean quick, String only, int workers) throws Exception {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers " + workers + ": a node needs at least 1 worker");
        }
        new ClusterBench(quick, only, workers).run();
    }

    private boolean wants(String... names) {
        return ChannelBench.selected(only, names);
    }

    private void run() throws Exception {
        long t0 = System.nanoTime();
        int[] ports = io.ipckit.cluster.internal.LoopbackPorts.free(2);
        ClusterAddress address = ClusterAddress.create("bench", List.of(
                new ClusterAddress.Member("127.0.0.1", ports[0]), new ClusterAddress.Member("127.0.0.1", ports[1])));
        boolean pool = wants("cluster.pool", "raw.cluster.pool");
        List<Process> nodes = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread stopper = new Thread(() -> stop(nodes), "bench-cluster-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            for (int i = 0; i < 2; i++) { // one after the other: two members starting at once may fail to join
                Process p = startNode(address, ports[i], pool ? workers : 0);
                nodes.add(p);
                awaitReady(p);
            }
            System.out.printf(Locale.ROOT, "# cluster: 2 nodes up in %.1f s (%d workers each)%n",
                    (System.nanoTime() - t0) / 1e9, pool ? workers : 0);
            try (ClusterClient raw = ClusterClient.connect(address, Duration.ofSeconds(30));
                 Manager m = Manager.connect(address.toString())) {
                HazelcastInstance hz = raw.hazelcast();
                long w0 = System.nanoTime();
                warmClientPath(ClusterClient.of(address).sealer());
                took("warming the client path", w0);
                if (wants("cluster.queue.throughput", "raw.cluster.queue.throughput")) {
                    long s0 = System.nanoTime();
                    queueThroughput(m, hz);
                    took("queueThroughput", s0);
                }
                if (wants("cluster.queue.rtt", "raw.cluster.queue.rtt")) {
                    long s0 = System.nanoTime();
                    queueRtt(m, hz);
                    took("queueRtt", s0);
                }
                if (wants("cluster.map.put", "raw.cluster.map.put")) {
                    long s0 = System.nanoTime();
                    mapPut(m, hz);
                    took("mapPut", s0);
                }
                if (wants("cluster.lock.pairs", "raw.cluster.lock.pairs")) {
                    long s0 = System.nanoTime();
                    lockPairs(m, hz);
                    took("lockPairs", s0);
                }
                if (pool) {
                    long s0 = System.nanoTime();
                    poolFigures(address, hz);
                    took("poolFigures", s0);
                }
            }
        } finally {
            long s0 = System.nanoTime();
            stop(nodes);
            took("stopping the nodes", s0);
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException alreadyExiting) {
                // the hook runs anyway
            }
        }
        System.out.printf(Locale.ROOT, "# cluster figures took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    // ---- queue ----

    private void queueThroughput(Manager m, HazelcastInstance hz) throws Exception {
        int n = quick ? 300 : 800;
        int nb = quick ? 8_000 : 20_000;
        SharedQueue<String> q = m.queue("bench-tp");
        IQueue<String> rq = hz.getQueue("bench-raw-tp");
        double[] one = alternately(n, k -> oneToOne(q, k, 1), k -> oneToOne(rq, k, 1));
        report("queue.throughput", one[0], one[1], "msg/s");
        double[] batched = alternately(nb, k -> oneToOne(q, k, BATCH), k -> oneToOne(rq, k, BATCH));
        report("queue.throughput.batched", batched[0], batched[1], "msg/s");
        ChannelBench.metric("cluster.queue.throughput.batched_vs_unbatched", batched[0] / one[0], "ratio");
        ChannelBench.metric("raw.cluster.queue.throughput.batched_vs_unbatched", batched[1] / one[1], "ratio");
        if (wants("cluster.queue.throughput.batched")) {
            ChannelBench.metric("cluster.queue.seal_open.cost", sealOpenMicros(), "us");
        }
    }

    /**
     * Warms this JVM's JIT on ipckit's own client-side path before the figures: encode, seal, open and decode
     * of an item, and a map key's fingerprint, 1,000,000 times (about 3 s; a quarter with {@code --quick}).
     * That path is compiled only after about a million calls here, where raw Hazelcast's side has no such code:
     * before, an item cost the client 6-7 µs of CPU instead of 1.5-1.8, and a map put measured in the first
     * minute ran at 0.64-0.78x raw, against 0.95-1.0x once warmed (a throwaway driver alternating 1.5 s windows
     * of ipckit's and raw puts, with and without this warm-up). A client that has run for a while is past it;
     * the figures are its steady state, as the pool figures' warm-up makes theirs.
     */
    private void warmClientPath(io.ipckit.cluster.internal.Sealer sealer) {
        io.ipckit.core.Codec codec = io.ipckit.core.Codec.defaults();
        long sink = 0;
        int n = quick ? 250_000 : 1_000_000;
        for (int i = 0; i < n; i++) {
            Integer key = i & 1023;
            byte[] sealed = sealer.seal(codec.encode("msg" + i), "queue:warm");
            sink += ((String) codec.decode(sealer.open(sealed, "queue:warm"))).length();
            sink += sealer.fingerprint("map:warm", codec.encode(key)).length();
        }
        if (sink == 42) {
            System.out.println("#");
        }
    }

    /**
     * What ipckit adds to each queue item in the client, without the cluster: encode, seal (AES-GCM, the
     * queue's name as associated data), open and decode of "msg&lt;i&gt;", in this JVM; µs per item, the
     * median of three runs of 100,000 after a warm-up of 300,000.
     */
    private static double sealOpenMicros() {
        io.ipckit.cluster.internal.Sealer sealer = new io.ipckit.cluster.internal.Sealer(
                io.ipckit.cluster.internal.ClusterKeys.of(ClusterAddress.create("seal", List.of(
                        new ClusterAddress.Member("127.0.0.1", 5701)))));
        io.ipckit.core.Codec codec = io.ipckit.core.Codec.defaults();
        long sink = 0;
        List<Double> micros = new ArrayList<>();
        for (int r = -3; r < REPEATS; r++) {
            int n = 100_000;
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] b = sealer.seal(codec.encode("msg" + i), "queue:bench");
                sink += ((String) codec.decode(sealer.open(b, "queue:bench"))).length();
            }
            if (r >= 0) {
                micros.add((System.nanoTime() - t) / 1e3 / n);
            }
        }
        if (sink == 42) {
            System.out.println("#");
        }
        return ChannelBench.median(micros);
    }

    /**
     * One producer thread puts {@code n} strings "msg&lt;i&gt;" ({@code batch} 1: {@code put} each; else
     * {@code addAll} of {@code batch}), one consumer thread takes them ({@code take}, or {@code drainTo} of
     * up to {@code batch}, with a {@code poll} of one to wait when empty); msg/s from the first item taken to
     * the last.
     */
    private static double oneToOne(BlockingQueue<String> q, int n, int batch) throws Exception {
        q.clear();
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                List<String> chunk = new ArrayList<>(batch);
                for (int i = 0; i < n; i++) {
                    if (batch == 1) {
                        q.put("msg" + i);
                    } else {
                        chunk.add("msg" + i);
                        if (chunk.size() == batch || i == n - 1) {
                            q.addAll(chunk);
                            chunk.clear();
                        }
                    }
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, ClusterBench::daemon);
        long t0 = 0;
        int got = 0;
        List<String> buf = new ArrayList<>(batch);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (got < n) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("the queue benchmark's consumer got only " + got + " of " + n);
            }
            int k;
            if (batch == 1) {
                k = q.poll(10, TimeUnit.SECONDS) == null ? 0 : 1;
            } else {
                buf.clear();
                k = q.drainTo(buf, batch);
                if (k == 0) {
                    k = q.poll(10, TimeUnit.SECONDS) == null ? 0 : 1;
                }
            }
            if (got == 0 && k > 0) {
                t0 = System.nanoTime();
            }
            got += k;
        }
        long nanos = System.nanoTime() - t0;
        producer.get(60, TimeUnit.SECONDS);
        return (n - 1) * 1e9 / nanos;
    }

    /** Ping-pong on both sides, alternately: medians of the measured runs' p50 and p99. */
    private void queueRtt(Manager m, HazelcastInstance hz) throws Exception {
        int n = quick ? 200 : 400;
        List<Double> ipckitP99 = new ArrayList<>();
        List<Double> rawP99 = new ArrayList<>();
        try (PingPong ipckit = new PingPong(m.queue("bench-ping"), m.queue("bench-pong"));
             PingPong raw = new PingPong(hz.getQueue("bench-raw-ping"), hz.getQueue("bench-raw-pong"))) {
            double[] p50 = alternately(n, k -> ipckit.run(k, ipckitP99), k -> raw.run(k, rawP99));
            report("queue.rtt.p50", p50[0], p50[1], "us");
        }
        // the measured runs are each side's last REPEATS
        report("queue.rtt.p99", ChannelBench.median(lastRuns(ipckitP99)), ChannelBench.median(lastRuns(rawP99)), "us");
    }

    private static List<Double> lastRuns(List<Double> all) {
        return all.subList(all.size() - REPEATS, all.size());
    }

    /**
     * Ping-pong through two queues with a ponger thread of this JVM, which answers every ping until closed.
     * Main thread ({@link #run}) and its ponger.
     */
    private static final class PingPong implements AutoCloseable {
        private final BlockingQueue<Integer> ping;
        private final BlockingQueue<Integer> pong;
        private final CompletableFuture<Void> ponger;
        private volatile boolean closed;
        private int next;

        PingPong(BlockingQueue<Integer> ping, BlockingQueue<Integer> pong) {
            this.ping = ping;
            this.pong = pong;
            ping.clear();
            pong.clear();
            ponger = CompletableFuture.runAsync(() -> {
                try {
                    while (!closed) {
                        Integer x = ping.poll(100, TimeUnit.MILLISECONDS);
                        if (x != null) {
                            pong.put(x);
                        }
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, ClusterBench::daemon);
        }

        /** {@code n} round trips; their p50 in µs, their p99 added to {@code p99}. */
        double run(int n, List<Double> p99) throws Exception {
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
            for (int i = 0; i < n; i++) {
                int x = next++;
                long t = System.nanoTime();
                ping.put(x);
                Integer back = pong.poll(30, TimeUnit.SECONDS);
                h.recordValue(System.nanoTime() - t);
                if (back == null || back != x) {
                    throw new IllegalStateException("the ponger answered " + back + " to " + x);
                }
            }
            p99.add(h.getValueAtPercentile(99) / 1e3);
            return h.getValueAtPercentile(50) / 1e3;
        }

        @Override
        public void close() throws Exception {
            closed = true;
            ponger.get(30, TimeUnit.SECONDS);
        }
    }

    // ---- map, lock ----

    private void mapPut(Manager m, HazelcastInstance hz) throws Exception {
        int n = quick ? 300 : 800;
        SharedMap<Integer, Integer> map = m.map("bench");
        IMap<Integer, Integer> raw = hz.getMap("bench-raw");
        double[] r = alternately(n, k -> rate(k, i -> map.put(i & 1023, i)), k -> rate(k, i -> raw.put(i & 1023, i)));
        report("map.put", r[0], r[1], "ops/s");
        {
            // Raw Hazelcast again, with entries shaped as ipckit's: a 43-character key (the fingerprint's length)
            // and a byte[] value as long as ipckit's sealed entry, random bytes, no sealing: what the shape costs.
            io.ipckit.core.Codec codec = io.ipckit.core.Codec.defaults();
            java.util.Random random = new java.util.Random(1);
            String[] keys = new String[1024];
            byte[][] values = new byte[1024][];
            for (int i = 0; i < 1024; i++) {
                StringBuilder key = new StringBuilder();
                while (key.length() < 43) {
                    key.append((char) ('a' + random.nextInt(26)));
                }
                keys[i] = key.toString();
                values[i] = new byte[4 + 2 * codec.encode(i).length + 28];
                random.nextBytes(values[i]);
            }
            IMap<String, byte[]> shaped = hz.getMap("bench-raw-shaped");
            double[] shape = alternately(n, k -> rate(k, i -> raw.put(i & 1023, i)),
                    k -> rate(k, i -> shaped.put(keys[i & 1023], values[i & 1023])));
            ChannelBench.metric("raw.cluster.map.put.ipckit_shape", shape[1], "ops/s");
            ChannelBench.metric("raw.cluster.map.put.ipckit_shape.vs_raw", shape[1] / shape[0], "ratio");
        }
    }

    private void lockPairs(Manager m, HazelcastInstance hz) throws Exception {
        int n = quick ? 300 : 600;
        SharedLock lock = m.lock("bench-lock");
        IMap<String, Boolean> raw = hz.getMap("bench-raw-locks");
        double[] r = alternately(n, k -> rate(k, i -> {
            lock.lock();
            lock.unlock();
        }), k -> rate(k, i -> {
            raw.lock("bench-lock");
            raw.unlock("bench-lock");
        }));
        report("lock.pairs", r[0], r[1], "ops/s");
    }

    // ---- pool ----

    /** The task of the pool figures, for Hazelcast's executor: {@code x * x}. */
    static final class Square implements Callable<Long>, Serializable {
        private static final long serialVersionUID = 1L;
        private final long x;

        Square(long x) {
            this.x = x;
        }

        @Override
        public Long call() {
            return PoolBench.square(x);
        }
    }

    /** The CPU-bound task of {@code cluster.pool.cpu.speedup}, for Hazelcast's executor. */
    static final class Burn implements Callable<Long>, Serializable {
        private static final long serialVersionUID = 1L;
        private final long n;

        Burn(long n) {
            this.n = n;
        }

        @Override
        public Long call() {
            return PoolBench.burn(n);
        }
    }

    private void poolFigures(ClusterAddress address, HazelcastInstance hz) throws Exception {
        int nRtt = quick ? 50 : 100;
        int nTasks = quick ? 150 : 300;
        SerializableFunction<Long, Long> square = PoolBench::square;
        IExecutorService exec = hz.getExecutorService("bench-raw-exec");
        try (Pool pool = Pool.builder().cluster(address.toString()).build()) {
            awaitWorkers(pool, 2 * workers);
            // the nodes' C2 compiler needs about 40 s of load on two cores before a node moves tasks at its
            // steady speed (PoolSpeedMain: 2,300-6,500 tasks/s in the first rounds, 14,600-26,200 after):
            // both sides run bursts first, so that the figures are the steady state's, not the warm-up's
            Measure ipckitBurst = k -> burst(k, i -> pool.applyAsync(square, i)::get);
            Measure rawBurst = k -> burst(k, i -> {
                Future<Long> f = exec.submit(new Square(i));
                return () -> f.get(60, TimeUnit.SECONDS);
            });
            warmUp(nTasks, ipckitBurst, NODE_WARM_UP_SECONDS);
            warmUp(nTasks, rawBurst, NODE_WARM_UP_SECONDS);
            if (wants("cluster.pool.apply", "raw.cluster.pool.apply")) {
                Measure ipckit = k -> p50Micros(k, i -> pool.apply(square, i));
                Measure raw = k -> p50Micros(k, i -> exec.submit(new Square(i)).get(30, TimeUnit.SECONDS));
                warmUp(nRtt, ipckit); // the nodes' JIT: a few hundred round trips are not enough
                warmUp(nRtt, raw);
                double[] r = alternately(nRtt, ipckit, raw);
                report("pool.apply.rtt.p50", r[0], r[1], "us");
            }
            if (wants("cluster.pool.apply_async", "raw.cluster.pool.apply_async")) {
                Measure ipckit = ipckitBurst;
                Measure raw = rawBurst;
                // as the local pool's figure: bursts of one size on both sides (a burst's throughput grows
                // with its size, as the nodes take more tasks ahead), after bursts that warm up the nodes'
                // JIT (otherwise the runs measure the compilers)
                int burst = quick ? 2_000 : 5_000;
                warmUp(nTasks, ipckit);
                warmUp(nTasks, raw);
                List<Double> a = new ArrayList<>();
                List<Double> b = new ArrayList<>();
                for (int k = 0; k < REPEATS; k++) {
                    pair(k, () -> ipckit.run(burst), () -> raw.run(burst), a, b);
                }
                double[] r = {ChannelBench.median(a), ChannelBench.median(b)};
                report("pool.apply_async.throughput", r[0], r[1], "tasks/s");
            }
            if (wants("cluster.pool.cpu", "raw.cluster.pool.cpu")) {
                cpuSpeedup(pool, exec);
            }
            if (wants("cluster.pool.local_first")) {
                localFirst(address, square, nRtt);
            }
        } finally {
            exec.shutdown();
        }
    }

    /**
     * A pool of the nodes' workers plus one worker JVM of this host ({@code processes(1)}): a synchronous
     * {@code apply} finds the local worker free and stays here; bursts go to both. Beside the nodes-only pool's
     * figures (run just before, the nodes warm) and not against raw Hazelcast, which has no such mode.
     */
    private void localFirst(ClusterAddress address, SerializableFunction<Long, Long> square, int nRtt)
            throws Exception {
        try (Pool pool = Pool.builder().cluster(address.toString()).processes(1).build()) {
            awaitWorkers(pool, 2 * workers + 1);
            Measure apply = k -> p50Micros(k, i -> pool.apply(square, i));
            warmUp(nRtt, apply);
            List<Double> p50 = new ArrayList<>();
            for (int k = 0; k < REPEATS; k++) {
                p50.add(apply.run(nRtt * 10));
            }
            ChannelBench.metric("cluster.pool.local_first.apply.rtt.p50", ChannelBench.median(p50), "us");
            Measure burst = k -> burst(k, i -> pool.applyAsync(square, i)::get);
            int n = quick ? 2_000 : 5_000;
            warmUp(n, burst);
            List<Double> rate = new ArrayList<>();
            for (int k = 0; k < REPEATS; k++) {
                rate.add(burst.run(n));
            }
            ChannelBench.metric("cluster.pool.local_first.apply_async.throughput", ChannelBench.median(rate), "tasks/s");
        }
    }

    private void cpuSpeedup(Pool pool, IExecutorService exec) throws Exception {
        int tasks = 4 * workers;
        SerializableFunction<Long, Long> burn = PoolBench::burn;
        long warm = PoolBench.BURN_N / 10;
        pool.map(burn, List.of(warm, warm), 1); // warm the workers' JIT
        exec.submit(new Burn(warm)).get(60, TimeUnit.SECONDS);
        exec.submit(new Burn(warm)).get(60, TimeUnit.SECONDS);
        PoolBench.burn(warm);
        long t0 = System.nanoTime();
        PoolBench.burn(warm);
        double perIteration = (System.nanoTime() - t0) / (double) warm;
        // each task's size: the serial run of all of them takes about 2 s (1 s with --quick)
        long burnN = Math.max(1_000_000L, (long) ((quick ? 1e9 : 2e9) / tasks / perIteration));
        List<Long> work = java.util.Collections.nCopies(tasks, burnN);
        List<Double> ipckit = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        for (int r = 0; r < REPEATS; r++) {
            long t = System.nanoTime();
            for (long w : work) {
                PoolBench.burn(w);
            }
            double serial = (System.nanoTime() - t) / 1e9;
            pair(r, () -> {
                long t1 = System.nanoTime();
                pool.map(burn, work, 1);
                return serial / ((System.nanoTime() - t1) / 1e9);
            }, () -> {
                long t1 = System.nanoTime();
                List<Future<Long>> fs = new ArrayList<>();
                for (long w : work) {
                    fs.add(exec.submit(new Burn(w)));
                }
                for (Future<Long> f : fs) {
                    f.get(120, TimeUnit.SECONDS);
                }
                return serial / ((System.nanoTime() - t1) / 1e9);
            }, ipckit, raw);
        }
        report("pool.cpu.speedup", ChannelBench.median(ipckit), ChannelBench.median(raw), "x");
    }

    private static void awaitWorkers(Pool pool, int n) throws Exception {
        pool.awaitReady(Duration.ofSeconds(60));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pool.workerPids().size() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster pool has " + pool.workerPids().size() + " workers, not "
                        + n + ", after 60 s");
            }
            Thread.sleep(100);
        }
    }

    @FunctionalInterface
    private interface Call {
        Object call(long i) throws Exception;
    }

    @FunctionalInterface
    private interface Pending {
        Object await() throws Exception;
    }

    @FunctionalInterface
    private interface Submit {
        Pending submit(long i) throws Exception;
    }

    private static double p50Micros(int n, Call c) throws Exception {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        for (long i = 0; i < n; i++) {
            long t = System.nanoTime();
            c.call(i);
            h.recordValue(System.nanoTime() - t);
        }
        return h.getValueAtPercentile(50) / 1e3;
    }

    /** {@code n} submissions, then every result awaited: tasks/s. */
    private static double burst(int n, Submit s) throws Exception {
        long t = System.nanoTime();
        List<Pending> pending = new ArrayList<>(n);
        for (long i = 0; i < n; i++) {
            pending.add(s.submit(i));
        }
        for (Pending p : pending) {
            p.await();
        }
        return n * 1e9 / (System.nanoTime() - t);
    }

    // ---- helpers ----

    @FunctionalInterface
    private interface Op {
        void run(int i) throws Exception;
    }

    @FunctionalInterface
    private interface Measure {
        /** One run of {@code n} operations: the figure. */
        double run(int n) throws Exception;
    }

    /** {@code op} {@code n} times; ops/s. */
    private static double rate(int n, Op op) throws Exception {
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.run(i);
        }
        return n * 1e9 / (System.nanoTime() - t);
    }

    /**
     * ipckit's and raw's measure run alternately (so that the machine's drift and the members' warming hit
     * both alike): one warm-up run of each with {@code firstN} operations, which sets each side's count for a
     * run of about {@link #runSeconds} (so the whole benchmark takes about as long on a slow machine as on a
     * fast one), then pairs of runs for {@link #settleSeconds} (the members' JIT compiles the operation's
     * path: the first seconds of a cold figure ran at a third of its later speed), then {@link #REPEATS}
     * pairs in ABBA order; the two medians.
     */
    private double[] alternately(int firstN, Measure ipckit, Measure raw) throws Exception {
        int nIpckit = calibrated(firstN, ipckit);
        int nRaw = calibrated(firstN, raw);
        long settled = System.nanoTime() + (long) (settleSeconds() * 1e9);
        for (int r = 0; System.nanoTime() - settled < 0; r++) {
            pair(r, () -> ipckit.run(nIpckit), () -> raw.run(nRaw), new ArrayList<>(), new ArrayList<>());
        }
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int r = 0; r < REPEATS; r++) {
            pair(r, () -> ipckit.run(nIpckit), () -> raw.run(nRaw), a, b);
        }
        return new double[] {ChannelBench.median(a), ChannelBench.median(b)};
    }

    /** Pair {@code r} of runs: ipckit's first when {@code r} is even, raw's first when odd (ABBA). */
    private static void pair(int r, Callable<Double> ipckit, Callable<Double> raw, List<Double> a, List<Double> b)
            throws Exception {
        if ((r & 1) == 0) {
            a.add(ipckit.call());
            b.add(raw.call());
        } else {
            b.add(raw.call());
            a.add(ipckit.call());
        }
    }

    /**
     * Runs {@code m} with {@code n}, doubling up to 32 times {@code n}, for {@link #warmUpSeconds} at least:
     * the pool figures' warm-up, which a node's task path needs (the first few thousand tasks run at a
     * fraction of the later speed while its JIT compiles them).
     */
    private void warmUp(int n, Measure m) throws Exception {
        warmUp(n, m, warmUpSeconds());
    }

    private void warmUp(int n, Measure m, double fullSeconds) throws Exception {
        long end = System.nanoTime() + (long) ((quick ? fullSeconds / 4 : fullSeconds) * 1e9);
        int k = n;
        while (System.nanoTime() - end < 0) {
            m.run(k);
            k = Math.min(2 * k, 32 * n);
        }
    }

    /** How long a pool figure's side warms up before it is measured: 4 s, 1 s with {@code --quick}. */
    private double warmUpSeconds() {
        return 4;
    }

    /** Runs {@code m} with {@code n} as warm-up; the count for a run of about {@link #runSeconds}. */
    private int calibrated(int n, Measure m) throws Exception {
        long t = System.nanoTime();
        m.run(n);
        double seconds = (System.nanoTime() - t) / 1e9;
        return (int) Math.max(20, Math.min(10L * n, Math.round(n * runSeconds() / seconds)));
    }

    /** How long each figure's pairs of runs settle before the measured ones: 4 s, 1 s with {@code --quick}. */
    private double settleSeconds() {
        return quick ? 1 : 4;
    }

    /** How long one measured run lasts: 0.7 s, 0.3 s with {@code --quick}. */
    private double runSeconds() {
        return quick ? 0.3 : 0.7;
    }

    /** Prints ipckit's figure, raw Hazelcast's and how many times raw's ipckit's is (above 1: ipckit better). */
    private static void report(String name, double ipckit, double raw, String unit) {
        ChannelBench.metric("cluster." + name, ipckit, unit);
        ChannelBench.metric("raw.cluster." + name, raw, unit);
        double ratio = Compare.lowerIsBetter(unit) ? raw / ipckit : ipckit / raw;
        ChannelBench.metric("cluster." + name + ".vs_raw", ratio, "ratio");
    }

    private static void took(String what, long startNanos) {
        System.out.printf(Locale.ROOT, "# cluster: %s took %.1f s%n", what, (System.nanoTime() - startNanos) / 1e9);
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "bench-cluster-peer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Process startNode(ClusterAddress address, int port, int workers) throws IOException {
        List<String> args = new ArrayList<>(List.of(address.toString(), "--bind", "127.0.0.1:" + port,
                "--member-timeout", "10"));
        if (workers > 0) {
            args.addAll(List.of("--workers", Integer.toString(workers)));
        }
        List<String> options = new ArrayList<>(List.of("-Xmx512m"));
        String extra = System.getProperty("ipckit.bench.nodeJvm", "").trim();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        return JvmLauncher.forMain(NodeMain.class).args(args).jvmOptions(options.toArray(new String[0]))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Waits for the node's ready line (at most 90 s); its later output is drained by a daemon thread. */
    private static void awaitReady(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(NodeMain.READY)) {
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new IllegalStateException("cluster node " + p.pid()
                        + " ended without starting"));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, "bench-cluster-node-out");
        reader.setDaemon(true);
        reader.start();
        ready.get(90, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM to each node (it starts leaving the cluster and stopping its workers), then, after at most 3 s,
     * kill -9 of what is left and its workers: the benchmark's cluster holds nothing to keep, and a clean
     * leave of both members took about 10 s.
     */
    private static void stop(Collection<Process> nodes) {
        synchronized (nodes) {
            for (Process p : nodes) {
                p.destroy();
            }
            for (Process p : nodes) {
                try {
                    if (!p.waitFor(3, TimeUnit.SECONDS)) {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

}
