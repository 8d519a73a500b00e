package io.ipckit.pool.internal.caller;

import io.ipckit.core.JvmLauncher;
import io.ipckit.core.internal.ClassDataSharing;
import io.ipckit.pool.internal.worker.WorkerMain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts worker JVMs ({@link WorkerMain}) for a pool's slots, with the pool's JVM options and, when the
 * pool uses it, its class-data sharing archive. Thread role: the thread creating the pool, then the
 * result thread; one at a time.
 */
final class WorkerLauncher {
    private final Config config;
    private final Path spaceDir;
    private final ClassDataSharing cds;

    WorkerLauncher(Config config, Path spaceDir) {
        this.config = config;
        this.spaceDir = spaceDir;
        this.cds = config.classDataSharing()
                ? ClassDataSharing.forClasspath(WorkerMain.class.getName(), System.getProperty("java.class.path")) : null;
    }

    /** A started worker JVM and the options it was started with. */
    record Launched(java.lang.Process process, List<String> options) {
    }

    /**
     * Starts a worker JVM for {@code slot}.
     *
     * @throws UncheckedIOException when the JVM cannot be started
     */
    Launched launch(int slot) {
        List<String> options = new ArrayList<>();
        if (io.ipckit.core.internal.jmx.Jmx.ON) { // the pool's MBean, in this JVM, shows the workers
            options.add("-D" + io.ipckit.core.internal.jmx.Jmx.PROPERTY + "=false");
        }
        options.addAll(config.jvmOptions());
        if (cds != null) {
            options.addAll(cds.options());
        }
        java.lang.Process p;
        try {
            p = JvmLauncher.forMain(WorkerMain.class)
                    .args(spaceDir.toString(), Integer.toString(slot),
                            Integer.toString(config.maxTasksPerWorker()), Long.toString(ProcessHandle.current().pid()))
                    .jvmOptions(options)
                    .dieWithParent(false) // WorkerMain watches its owner itself, and removes the space when it dies
                    .redirectOutput(config.output())
                    .redirectError(config.output())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("pool '" + config.name() + "': cannot start a worker JVM: " + e, e);
        }
        try {
            p.getOutputStream().close(); // workers read no input: a task reading System.in sees its end at once
        } catch (IOException e) {
            // the worker already died: its exit is handled as any other
        }
        return new Launched(p, options);
    }

    /** A worker started with {@code options} exited: the archive learns whether it worked. */
    void exited(List<String> options, int status) {
        if (cds != null) {
            cds.childExited(options, status == 0);
        }
    }
}
