#!/usr/bin/env python3
"""ipckit's CPython counterpart: the workloads of `ipckit-samples.jar bench`, on CPython's multiprocessing.

Run by `java -jar samples/target/ipckit-samples.jar bench --compare` (which extracts this file from the jar),
or by hand: python3 ipckit_bench_cpython.py [--quick] [--only PREFIX]

Prints `METRIC <name> <value> <unit>` lines with the names ipckit's suite prints. The workloads are those of
ipckit's side: "msg<i>" strings through a queue between a producer and a consumer process, integer
ping-pong through two manager queues, dict puts and lock acquire/release pairs on a manager, and a pool of
two processes running square(x), add(a, b) and burn(n). First the first-contact figures: hello.wall and
hello.cpu (the first program a user writes, ../shared/anchors/python_first_program.py, run whole as a fresh
python3 process) and manager.connect (a fresh python3 process connecting to a running manager, to its first
reply). Every figure is the median of REPEATS repetitions
(for latencies: the median of each percentile), after one warm-up where the workload allows it.
"""
import multiprocessing
import multiprocessing.managers
import os
import resource
import statistics
import subprocess
import sys
import tempfile
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


# ---- the first-contact programs, run as fresh processes ----

# The first program a user writes: exactly ../shared/anchors/python_first_program.py (this file is packaged
# in ipckit's jar, so it carries the text). ipckit's version is io.ipckit.samples.bench.HelloProgram.
HELLO_PROGRAM = """\
# The first program a user writes, in CPython: the seeds' write/read through a Manager queue, then a
# small map. Time it whole (wall and CPU of all its processes) beside ipckit's own version.
import multiprocessing as mp
def write(q):
    for c in "python": q.put(c)
def read(q):
    return "".join(q.get() for _ in range(6))
if __name__ == "__main__":
    with mp.Manager() as m:
        q = m.Queue()
        with mp.Pool(2) as p:
            p.apply(write, (q,))
            print(p.apply(read, (q,)))
            print(p.map(abs, [-1, -2, -3]))
"""
HELLO_OUTPUT = ["python", "[1, 2, 3]"]

# A fresh process connecting to a running manager and making one call, as a Python user would: the
# manager's class registers get_d, the client connects with the address and authkey and calls get_d().keys().
# ipckit's version is io.ipckit.samples.bench.ConnectProgram.
CONNECT_PROGRAM = """\
import sys
from multiprocessing.managers import SyncManager
class DictManager(SyncManager):
    pass
DictManager.register("get_d")
if __name__ == "__main__":
    m = DictManager(address=(sys.argv[1], int(sys.argv[2])), authkey=bytes.fromhex(sys.argv[3]))
    m.connect()
    print("connected %d" % len(m.get_d().keys()), flush=True)
"""

SHARED_DICT = {}


def shared_dict():
    return SHARED_DICT


class DictManager(multiprocessing.managers.SyncManager):
    pass


DictManager.register("get_d", callable=shared_dict)


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_hello(script):
    """One run of the first program, timed whole: (wall s, CPU s of it and every process it reaped)."""
    cpu0 = children_cpu_seconds()
    started = time.perf_counter()
    done = subprocess.run([sys.executable, script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=120)
    wall = time.perf_counter() - started
    cpu = children_cpu_seconds() - cpu0
    lines = [line for line in done.stdout.decode().splitlines() if line.strip()]
    if done.returncode != 0 or lines != HELLO_OUTPUT:
        raise RuntimeError("the first program exited with %d and printed %r instead of %r; stderr:\n%s"
                           % (done.returncode, lines, HELLO_OUTPUT, done.stderr.decode()))
    return wall, cpu


def hello(cfg, workdir):
    script = os.path.join(workdir, "python_first_program.py")
    with open(script, "w") as f:
        f.write(HELLO_PROGRAM)
    run_hello(script)  # untimed warm-up, as on ipckit's side (the OS's file cache)
    runs = [run_hello(script) for _ in range(1 if cfg.quick else REPEATS)]
    print("# hello: wall %s s, CPU %s s" % (", ".join("%.3f" % r[0] for r in runs),
                                            ", ".join("%.3f" % r[1] for r in runs)), flush=True)
    report("hello.wall", statistics.median(r[0] for r in runs), "s")
    report("hello.cpu", statistics.median(r[1] for r in runs), "s")


def connect_once(script, address, authkey):
    """Seconds from just before a fresh process starts to its line: it connected and got a reply."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, script, address[0], str(address[1]), authkey.hex()],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = child.stdout.readline().decode()
    elapsed = time.perf_counter() - started
    rest, err = child.communicate(timeout=60)
    if not line.startswith("connected ") or child.returncode != 0:
        raise RuntimeError("the connecting process exited with %d and printed %r; stderr:\n%s"
                           % (child.returncode, line + rest.decode(), err.decode()))
    return elapsed


def manager_connect(cfg, workdir):
    script = os.path.join(workdir, "python_connect.py")
    with open(script, "w") as f:
        f.write(CONNECT_PROGRAM)
    authkey = os.urandom(16)
    with DictManager(address=("127.0.0.1", 0), authkey=authkey) as manager:
        manager.get_d().keys()
        connect_once(script, manager.address, authkey)  # untimed warm-up
        times = [connect_once(script, manager.address, authkey) for _ in range(1 if cfg.quick else REPEATS)]
    print("# manager.connect: %s s" % ", ".join("%.3f" % t for t in times), flush=True)
    report("manager.connect", statistics.median(times), "s")


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
    if cfg.wants("hello.wall", "hello.cpu", "manager.connect"):
        with tempfile.TemporaryDirectory(prefix="ipckit-bench-") as workdir:
            if cfg.wants("hello.wall", "hello.cpu"):
                hello(cfg, workdir)
            if cfg.wants("manager.connect"):
                manager_connect(cfg, workdir)
    if cfg.wants("queue.", "manager.map.put", "manager.lock.pairs"):
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
