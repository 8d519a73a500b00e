package io.ipckit.core.test;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A class that exists only where a test loads it: compiled at run time into a directory that is on no
 * JVM's classpath, so other JVMs (consumers, the manager, pool workers) do not have it.
 */
public final class RuntimeClasses {
    /** The class's name. */
    public static final String SECRET = "ipckit.missing.Secret";

    private RuntimeClasses() {
    }

    /** Compiles {@link #SECRET} (a serializable holder of a String) into {@code dir}. */
    public static Path compileSecret(Path dir) throws IOException {
        Path src = dir.resolve("src/ipckit/missing/Secret.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package ipckit.missing;\n"
                + "public class Secret implements java.io.Serializable {\n"
                + "  public String text;\n"
                + "  public Secret() { }\n"
                + "  public Secret(String text) { this.text = text; }\n"
                + "  @Override public String toString() { return \"Secret(\" + text + \")\"; }\n"
                + "}\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, "-d", classes.toString(), src.toString());
        if (rc != 0) {
            throw new IllegalStateException("javac failed: " + err);
        }
        return classes;
    }

    /** A loader of {@code classes} (from {@link #compileSecret}) over this JVM's classes. */
    public static URLClassLoader loader(Path classes) throws IOException {
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, RuntimeClasses.class.getClassLoader());
    }

    /** A new {@link #SECRET} holding {@code text}, loaded by {@code loader}. */
    public static Object newSecret(ClassLoader loader, String text) throws ReflectiveOperationException {
        return Class.forName(SECRET, true, loader).getConstructor(String.class).newInstance(text);
    }
}
