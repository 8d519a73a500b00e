package io.ipckit.core;

import io.ipckit.core.internal.ChildMain;
import io.ipckit.core.internal.JvmFlags;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Starts a child JVM that runs a {@code main} class with the caller's {@code java} binary, the caller's
 * classpath and every flag ipckit needs (Chronicle's {@code --add-opens}/{@code --add-exports} list and
 * {@code -Dchronicle.analytics.disable=true}), so nobody has to pass them by hand.
 *
 * <pre>{@code
 * Process p = JvmLauncher.forMain(Consumer.class).args("orders").jvmOptions("-Xmx256m").inheritIO().start();
 * }</pre>
 *
 * <p>By default the child dies with its parent: it watches this JVM and halts within a second of its
 * death, even after {@code kill -9}. The builder is not thread-safe; the {@link Process} it returns is.
 */
public final class JvmLauncher {
    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String classpath = System.getProperty("java.class.path");
    private Path workingDirectory;
    private ProcessBuilder.Redirect output = ProcessBuilder.Redirect.PIPE;
    private ProcessBuilder.Redirect error = ProcessBuilder.Redirect.PIPE;
    private boolean redirectErrorStream;
    private boolean dieWithParent = true;

    private JvmLauncher(String mainClass) {
        this.mainClass = mainClass;
    }

    /** A launcher for {@code mainClass}, which must have {@code public static void main(String[])}. */
    public static JvmLauncher forMain(Class<?> mainClass) {
        return forMain(Objects.requireNonNull(mainClass, "mainClass").getName());
    }

    /** A launcher for the class of that binary name; it must be on the child's classpath. */
    public static JvmLauncher forMain(String mainClassName) {
        Objects.requireNonNull(mainClassName, "mainClassName");
        if (mainClassName.isBlank()) {
            throw new IllegalArgumentException("main class name is blank; pass a class such as com.acme.Worker");
        }
        return new JvmLauncher(mainClassName);
    }

    /** The flags every ipckit JVM is started with; immutable. */
    public static List<String> requiredJvmFlags() {
        return JvmFlags.flags();
    }

    /**
     * Whether this JVM was started with the opens of {@link #requiredJvmFlags()}: a program that is not
     * (a command-line tool run by plain {@code java -cp}) can start itself again with them. Any thread;
     * does not block.
     */
    public static boolean requiredJvmFlagsPresent() {
        return JvmFlags.presentInThisJvm();
    }

    /**
     * Where ipckit keeps class-data sharing archives, {@code ~/.cache/ipckit/cds}: those of its own JVMs and
     * those a program keeps there itself ({@code ipckit jvm-flags --cds}), pruned together. Any thread.
     */
    public static Path classDataSharingDirectory() {
        return io.ipckit.core.internal.ClassDataSharing.cacheDirectory();
    }

    /** The {@code java} executable of the running JVM. */
    public static Path javaExecutable() {
        return ProcessHandle.current().info().command()
                .map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith("java"))
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** Arguments passed to the child's {@code main}. */
    public JvmLauncher args(String... values) {
        Collections.addAll(args, values);
        return this;
    }

    /** Arguments passed to the child's {@code main}. */
    public JvmLauncher args(List<String> values) {
        args.addAll(values);
        return this;
    }

    /** Extra JVM options (heap size, system properties...), added after ipckit's own flags. */
    public JvmLauncher jvmOptions(String... options) {
        Collections.addAll(jvmOptions, options);
        return this;
    }

    /** Extra JVM options (heap size, system properties...), added after ipckit's own flags. */
    public JvmLauncher jvmOptions(List<String> options) {
        jvmOptions.addAll(options);
        return this;
    }

    /** Replaces the classpath (default: this JVM's {@code java.class.path}). */
    public JvmLauncher classpath(String value) {
        if (Objects.requireNonNull(value, "classpath").isBlank()) {
            throw new IllegalArgumentException("classpath is blank");
        }
        classpath = value;
        return this;
    }

    /** Sets an environment variable of the child. */
    public JvmLauncher environment(String name, String value) {
        environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** The child's working directory (default: this JVM's). */
    public JvmLauncher workingDirectory(Path dir) {
        workingDirectory = dir;
        return this;
    }

    /** Child output and error go to this JVM's (default: pipes the caller must drain). */
    public JvmLauncher inheritIO() {
        output = ProcessBuilder.Redirect.INHERIT;
        error = ProcessBuilder.Redirect.INHERIT;
        return this;
    }

    /** Where the child's standard output goes. */
    public JvmLauncher redirectOutput(ProcessBuilder.Redirect to) {
        output = Objects.requireNonNull(to, "to");
        return this;
    }

    /** Where the child's standard error goes. */
    public JvmLauncher redirectError(ProcessBuilder.Redirect to) {
        error = Objects.requireNonNull(to, "to");
        return this;
    }

    /** Merge the child's standard error into its standard output. */
    public JvmLauncher redirectErrorStream(boolean merge) {
        redirectErrorStream = merge;
        return this;
    }

    /**
     * Whether the child halts when this JVM dies (default {@code true}). Turn it off only for processes
     * meant to outlive their starter, such as a server.
     */
    public JvmLauncher dieWithParent(boolean value) {
        dieWithParent = value;
        return this;
    }

    /** The command line {@link #start()} runs. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable().toString());
        cmd.addAll(JvmFlags.flags());
        cmd.addAll(io.ipckit.core.internal.jmx.Jmx.childOptions()); // with MBeans on here, on in the child too
        if (dieWithParent) {
            cmd.add("-D" + ChildMain.PARENT_PID + "=" + ProcessHandle.current().pid());
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(ChildMain.class.getName());
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Starts the child. Does not wait for it.
     *
     * @throws IOException when the {@code java} binary cannot be started
     */
    public Process start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command());
        if (workingDirectory != null) {
            pb.directory(workingDirectory.toFile());
        }
        pb.environment().putAll(environment);
        pb.redirectOutput(output);
        pb.redirectError(error);
        pb.redirectErrorStream(redirectErrorStream);
        return pb.start();
    }

    /** The classpath the child will get. */
    public String classpath() {
        return classpath;
    }

    @Override
    public String toString() {
        return "JvmLauncher[" + mainClass + " " + String.join(" ", args) + ", classpath entries="
                + classpath.split(File.pathSeparator).length + "]";
    }
}
