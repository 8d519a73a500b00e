#!/usr/bin/env python3
"""ipckit's CPython counterpart: the workloads of `ipckit-samples.jar bench`, on CPython's multiprocessing.

Run by `java -jar samples/target/ipckit-samples.jar bench --compare` (which extracts this file from the jar),
or by hand: python3 ipckit_bench_cpython.py [--quick] [--only PREFIX]

Prints `METRIC <name> <value> <unit>` lines with the names ipckit's suite prints. The workloads are those of
ipckit's side: "msg<i>" strings through a queue between a producer and a consumer process, integer
ping-pong through two manager queues, dict puts and lock acquire/release pairs on a manager, and a pool of
two processes running square(x), add(a, b) and burn(n). Every figure is the median of REPEATS repetitions
(for latencies: the median of each percentile), after one warm-up where the workload allows it.
"""
import multiprocessing
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor

REPEATS = 3


class Settings:
    def __init__(self, argv):
        self.quick = "--quick" in argv
        self.only = argv[argv.index("--only") + 1] if "--only" in argv[:-1] else ""
        self.queue_messages = 20_000 if self.quick else 100_000
        self.tasks = 5_000 if self.quick else 20_000
        self.round_trips = 2_000 if self.quick else 5_000

    def wants(self, *names):
        return any(n.startswith(self.only) or self.only.startswith(n) for n in names)


def report(name, value, unit):
    sys.stdout.write("METRIC %s %.6g %s\n" % (name, value, unit))
    sys.stdout.flush()


def percentiles(samples_ns):
    """(p50, p99) in microseconds, nearest rank."""
    ordered = sorted(samples_ns)
    return ordered[len(ordered) // 2] / 1000.0, ordered[int(len(ordered) * 0.99)] / 1000.0


# ---- the task functions, the same as ipckit's PoolBench ----

def square(x):
    return x * x


def add(a, b):
    return a + b


def burn(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


# ---- child process bodies ----

def send_strings(queue, count):
    for i in range(count):
        queue.put("msg%d" % i)


def drain(queue, count):
    for _ in range(count):
        queue.get()


def echo(inbox, outbox, count):
    for _ in range(count):
        outbox.put(inbox.get())


# ---- figures ----

def rate_of_transfer(queue, count):
    started = time.perf_counter()
    children = [multiprocessing.Process(target=send_strings, args=(queue, count)),
                multiprocessing.Process(target=drain, args=(queue, count))]
    for c in children:
        c.start()
    for c in children:
        c.join()
    return count / (time.perf_counter() - started)


def queue_throughputs(cfg, manager):
    for label, make in (("manager_queue", manager.Queue), ("mp_queue", multiprocessing.Queue)):
        queue = make()
        rates = [rate_of_transfer(queue, cfg.queue_messages) for _ in range(REPEATS)]
        report("queue.throughput." + label, statistics.median(rates), "msg/s")


def one_ping_pong_run(manager, count):
    ping, pong = manager.Queue(), manager.Queue()
    child = multiprocessing.Process(target=echo, args=(ping, pong, count))
    child.start()
    samples = []
    for i in range(count):
        before = time.perf_counter_ns()
        ping.put(i)
        pong.get()
        samples.append(time.perf_counter_ns() - before)
    child.join()
    return percentiles(samples)


def queue_round_trip(cfg, manager):
    runs = [one_ping_pong_run(manager, cfg.round_trips) for _ in range(REPEATS)]
    report("queue.rtt.p50", statistics.median(r[0] for r in runs), "us")
    report("queue.rtt.p99", statistics.median(r[1] for r in runs), "us")


def ops_per_second(count, operation):
    started = time.perf_counter()
    for i in range(count):
        operation(i)
    return count / (time.perf_counter() - started)


def manager_figures(cfg, manager):
    shared = manager.dict()
    lock = manager.Lock()

    def put(i):
        shared[i] = i

    def pair(_):
        lock.acquire()
        lock.release()

    for name, operation in (("manager.map.put", put), ("manager.lock.pairs", pair)):
        if cfg.wants(name):
            rates = [ops_per_second(cfg.tasks, operation) for _ in range(REPEATS)]
            report(name, statistics.median(rates), "ops/s")


def timed_rate(count, workload):
    workload()  # warm-up
    rates = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        workload()
        rates.append(count / (time.perf_counter() - started))
    return statistics.median(rates)


def pool_startup():
    spawn = multiprocessing.get_context("spawn")
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        with spawn.Pool(2) as pool:
            pool.apply(square, (1,))
            times.append(time.perf_counter() - started)
    report("pool.startup.first_result", statistics.median(times), "s")


def pool_apply_latency(cfg, pool):
    for _ in range(200):
        pool.apply(square, (1,))
    runs = []
    for _ in range(REPEATS):
        samples = []
        for i in range(cfg.round_trips):
            before = time.perf_counter_ns()
            pool.apply(square, (i,))
            samples.append(time.perf_counter_ns() - before)
        runs.append(percentiles(samples))
    report("pool.apply.rtt.p50", statistics.median(r[0] for r in runs), "us")
    report("pool.apply.rtt.p99", statistics.median(r[1] for r in runs), "us")
    if cfg.wants("pool.apply.rtt.after_idle"):
        rtts = []
        for i in range(5 if cfg.quick else 10):
            time.sleep(1)
            before = time.perf_counter_ns()
            pool.apply(square, (i,))
            rtts.append((time.perf_counter_ns() - before) / 1e3)
        report("pool.apply.rtt.after_idle", statistics.median(rtts), "us")


def pool_throughputs(cfg, pool):
    n = cfg.tasks

    def apply_async():
        pending = [pool.apply_async(square, (i,)) for i in range(n)]
        for result in pending:
            result.get()

    def imap_unordered():
        for _ in pool.imap_unordered(square, range(n), chunksize=1):
            pass

    many = n * 50
    figures = (("pool.apply_async.throughput", n, apply_async),
               ("pool.imap_unordered.throughput", n, imap_unordered),
               ("pool.map.throughput", many, lambda: pool.map(square, range(many))),
               # the argument tuples are built inside the timed call, as in the anchor
               ("pool.starmap.throughput", n, lambda: pool.starmap(add, [(i, i) for i in range(n)])))
    for name, count, workload in figures:
        if cfg.wants(name):
            report(name, timed_rate(count, workload), "tasks/s")


def pool_speedup(pool):
    work = [2_000_000] * 8
    ratios = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        pool.map(burn, work, chunksize=1)
        parallel = time.perf_counter() - started
        started = time.perf_counter()
        for w in work:
            burn(w)
        ratios.append((time.perf_counter() - started) / parallel)
    report("pool.cpu.speedup", statistics.median(ratios), "x")


def executor_throughput(cfg):
    n = cfg.tasks
    with ProcessPoolExecutor(2) as executor:
        executor.submit(square, 1).result()

        def submit_all():
            for future in [executor.submit(square, i) for i in range(n)]:
                future.result()

        report("executor.submit.throughput", timed_rate(n, submit_all), "tasks/s")


def main(argv):
    cfg = Settings(argv)
    print("# CPython %s, %d CPUs, quick=%s" % (sys.version.split()[0], multiprocessing.cpu_count(), cfg.quick),
          flush=True)
    if cfg.wants("queue.", "manager."):
        with multiprocessing.Manager() as manager:
            if cfg.wants("queue.throughput"):
                queue_throughputs(cfg, manager)
            if cfg.wants("queue.rtt"):
                queue_round_trip(cfg, manager)
            if cfg.wants("manager."):
                manager_figures(cfg, manager)
    if cfg.wants("pool.startup"):
        pool_startup()
    if cfg.wants("pool.apply", "pool.imap", "pool.map", "pool.starmap", "pool.cpu"):
        with multiprocessing.Pool(2) as pool:
            if cfg.wants("pool.apply.rtt"):
                pool_apply_latency(cfg, pool)
            pool_throughputs(cfg, pool)
            if cfg.wants("pool.cpu.speedup"):
                pool_speedup(pool)
    if cfg.wants("executor."):
        executor_throughput(cfg)


if __name__ == "__main__":
    main(sys.argv[1:])
