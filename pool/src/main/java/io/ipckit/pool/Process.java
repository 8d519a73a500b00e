package io.ipckit.pool;

import io.ipckit.core.Codec;
import io.ipckit.core.JvmLauncher;
import io.ipckit.core.SerializableConsumer;
import io.ipckit.core.SerializableRunnable;
import io.ipckit.core.SerializationException;
import io.ipckit.pool.internal.worker.ProcessMain;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Python's {@code multiprocessing.Process}: a child JVM (this JVM's classpath and ipckit's flags) that
 * runs one task. Either give it a target,
 * <pre>{@code
 * Process p = new Process(() -> System.out.println("hello from " + ProcessHandle.current().pid()));
 * p.start();
 * p.join();
 * }</pre>
 * or subclass it and override {@link #run()}; the object itself (its non-transient fields) is encoded
 * with the codec and run in the child, so a subclass must be a top-level or static nested class whose
 * fields can be encoded.
 *
 * <p>The child inherits this JVM's standard output and error unless {@link #output} says otherwise;
 * its standard input is closed. When {@code run()} ends, the child waits for the non-daemon threads it
 * started (as Python's child and a plain {@code java} program do), then exits with status 0 when
 * {@code run()} returned and 1 when it threw (the exception is printed), or with the status given to
 * {@code System.exit}. A {@link #daemon(boolean)
 * daemon} child is killed when this JVM exits and dies within a second of this JVM's death, even after
 * {@code kill -9}; a non-daemon child (the default, as in Python) is waited for when this JVM exits
 * normally and outlives a killed parent.
 *
 * <p>Not thread-safe before {@link #start()}; afterwards the query and signal methods may be called
 * from any thread.
 */
public class Process implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Object HOOK_LOCK = new Object();
    private static boolean hookInstalled;

    private final SerializableRunnable target;
    private String name;
    private boolean daemon;
    private transient List<String> jvmOptions = new ArrayList<>();
    private transient ProcessBuilder.Redirect output = ProcessBuilder.Redirect.INHERIT;
    private transient volatile java.lang.Process process;
    private transient volatile boolean closed;
    /** System property of a child JVM started by {@link #start()}: its parent's pid. */
    static final String PARENT_PID_PROPERTY = "ipckit.process.parentPid";

    /** For subclasses that override {@link #run()}. */
    protected Process() {
        this(null, null);
    }

    /** A process that runs {@code target}, named {@code Process-<n>}. */
    public Process(SerializableRunnable target) {
        this(Objects.requireNonNull(target, "target"), null);
    }

    /** A process that runs {@code target}, with a name (null: {@code Process-<n>}). */
    public Process(SerializableRunnable target, String name) {
        this.target = target;
        this.name = name != null ? name : "Process-" + COUNT.incrementAndGet();
    }

    /** A process that runs {@code target.accept(arg)} (Python's {@code Process(target=f, args=(arg,))}). */
    public static <A> Process of(SerializableConsumer<? super A> target, A arg) {
        Objects.requireNonNull(target, "target");
        return new Process(() -> target.accept(arg));
    }

    /**
     * What the child runs: the target. Subclasses override it. Called in the child JVM, never here.
     */
    public void run() {
        if (target != null) {
            target.run();
        }
    }

    /**
     * The name of the process this code runs in: the name of the {@link Process} in a child, or
     * {@code "MainProcess"}; Python's {@code current_process().name}.
     */
    public static String currentName() {
        return ProcessMain.currentName();
    }

    /** The name. */
    public String name() {
        return name;
    }

    /**
     * Renames the process (before {@link #start()}).
     *
     * @throws IllegalStateException once started
     */
    public Process name(String newName) {
        checkNotStarted("name");
        this.name = Objects.requireNonNull(newName, "name");
        return this;
    }

    /** Whether it is a daemon (dies with this JVM). */
    public boolean daemon() {
        return daemon;
    }

    /**
     * Makes it a daemon or not (before {@link #start()}; default false, as in Python).
     *
     * @throws IllegalStateException once started
     */
    public Process daemon(boolean value) {
        checkNotStarted("daemon");
        this.daemon = value;
        return this;
    }

    /** Adds options of the child JVM (heap size, system properties...), before {@link #start()}. */
    public Process jvmOptions(String... options) {
        checkNotStarted("jvmOptions");
        for (String o : options) {
            jvmOptions().add(Objects.requireNonNull(o, "option"));
        }
        return this;
    }

    /** Where the child's standard output and error go (default: this JVM's), before {@link #start()}. */
    public Process output(ProcessBuilder.Redirect to) {
        checkNotStarted("output");
        this.output = Objects.requireNonNull(to, "to");
        return this;
    }

    /**
     * Starts the child JVM. Does not wait for it to run.
     *
     * @throws SerializationException when the process (its target or fields) cannot be encoded; nothing starts
     * @throws IllegalStateException when already started
     * @throws UncheckedIOException when the JVM cannot be started
     */
    public synchronized void start() {
        if (process != null) {
            throw new IllegalStateException("process '" + name + "' was already started (pid " + process.pid()
                    + "); a process can be started once, create a new one");
        }
        if (closed) {
            throw closedException("start");
        }
        byte[] payload = Codec.defaults().encode(this);
        List<String> options = new ArrayList<>(Pool.DEFAULT_WORKER_JVM_OPTIONS);
        options.add("-D" + PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        options.addAll(jvmOptions());
        java.lang.Process p;
        try {
            p = JvmLauncher.forMain(ProcessMain.class)
                    .args(name)
                    .jvmOptions(options)
                    .dieWithParent(daemon)
                    .redirectOutput(output())
                    .redirectError(output())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start process '" + name + "': " + e, e);
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write(payload);
        } catch (IOException e) {
            // the child died before reading its task: its exit code tells
        }
        process = p;
        installHook();
        LIVE.add(this);
        p.onExit().thenRun(() -> LIVE.remove(this));
    }

    /** Waits until the child exits. */
    public void join() throws InterruptedException {
        started("join").waitFor();
    }

    /**
     * Waits at most {@code timeout} for the child to exit.
     *
     * @return whether it has exited
     */
    public boolean join(Duration timeout) throws InterruptedException {
        return started("join").waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether the child runs (false before start). */
    public boolean isAlive() {
        java.lang.Process p = process;
        return p != null && p.isAlive();
    }

    /** Asks the child to stop with SIGTERM (its shutdown hooks run). Does not wait. */
    public void terminate() {
        started("terminate").destroy();
    }

    /** Kills the child with SIGKILL. Does not wait. */
    public void kill() {
        started("kill").destroyForcibly();
    }

    /**
     * The child's pid.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public long pid() {
        return started("pid").pid();
    }

    /**
     * The child's exit status, null while it runs or before start (Python's {@code exitcode}); 128 + n
     * when signal n ended it (137 after {@link #kill()}, 143 after {@link #terminate()}).
     */
    public Integer exitCode() {
        java.lang.Process p = process;
        return p == null || p.isAlive() ? null : p.exitValue();
    }

    /**
     * Completes with this process when the child exits (Python's {@code sentinel}, the JDK's
     * {@code Process.onExit()}); dependent actions run on a JDK thread and must not block.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public CompletableFuture<Process> onExit() {
        return started("onExit").onExit().thenApply(p -> this);
    }

    /**
     * Releases what this object holds of its child (Python's {@code close()}); later calls but the queries
     * ({@link #exitCode()}, {@link #isAlive()}, {@link #name()}) throw {@link IllegalStateException}.
     * Idempotent.
     *
     * @throws IllegalStateException when the child still runs (join, terminate or kill it first)
     */
    public synchronized void close() {
        java.lang.Process p = process;
        if (p != null && p.isAlive()) {
            throw new IllegalStateException("process '" + name + "' (pid " + p.pid() + ") still runs; join(),"
                    + " terminate() or kill() it before close()");
        }
        if (p != null) {
            try {
                p.getInputStream().close();
                p.getErrorStream().close();
            } catch (IOException e) {
                // closing what nobody reads: nothing to report
            }
        }
        closed = true;
    }

    /**
     * The children started by this JVM that are still running (Python's {@code active_children()}), in no
     * particular order. Any thread.
     */
    public static List<Process> activeChildren() {
        List<Process> out = new ArrayList<>();
        for (Process p : LIVE) {
            if (p.isAlive()) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The process that started this JVM as a {@code Process} (Python's {@code parent_process()}), or empty
     * when this JVM was not started that way (a main program) or its parent is gone. Any thread.
     */
    public static Optional<ProcessHandle> parentProcess() {
        Long pid = Long.getLong(PARENT_PID_PROPERTY);
        return pid == null ? Optional.empty() : ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    private IllegalStateException closedException(String what) {
        return new IllegalStateException("process '" + name + "' is closed: " + what + "() is not allowed after"
                + " close(); create a new Process");
    }

    @Override
    public String toString() {
        java.lang.Process p = process;
        String s = p == null ? "initial" : p.isAlive() ? "started, pid " + p.pid() : "stopped, exit code " + p.exitValue();
        return getClass().getSimpleName() + "[" + name + ", " + s + (daemon ? ", daemon" : "") + "]";
    }

    private List<String> jvmOptions() {
        if (jvmOptions == null) {
            jvmOptions = new ArrayList<>();
        }
        return jvmOptions;
    }

    private ProcessBuilder.Redirect output() {
        return output != null ? output : ProcessBuilder.Redirect.INHERIT;
    }

    private java.lang.Process started(String verb) {
        if (closed) {
            throw closedException(verb);
        }
        java.lang.Process p = process;
        if (p == null) {
            throw new IllegalStateException(verb + "() on process '" + name + "' before start(); call start() first");
        }
        return p;
    }

    private void checkNotStarted(String what) {
        if (process != null) {
            throw new IllegalStateException("cannot change " + what + " of process '" + name + "' after start()");
        }
    }

    /** At exit of this JVM: daemon children are killed, the others waited for (as Python does). */
    private static void installHook() {
        synchronized (HOOK_LOCK) {
            if (hookInstalled) {
                return;
            }
            hookInstalled = true;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : LIVE) {
                if (p.daemon) {
                    p.process.destroyForcibly();
                }
            }
            for (Process p : LIVE) {
                try {
                    p.process.waitFor();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "ipckit-process-exit"));
    }
}
