package io.ipckit.samples;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code ```java} snippet of the README compiles against ipckit's API as it is: each becomes the body
 * of a method in a class that imports ipckit's public packages and the JDK's usual ones, and declares the
 * few names the snippets leave to the reader ({@code dir}, {@code address}, {@code hugeInput},
 * {@code heavyWork()}, {@code process(item)}). Compiled with the JDK's compiler, not run.
 */
class ReadmeSnippetsTest extends LeakCheckingTest {
    @TempDir
    Path out;

    /** The README's Java snippets, in order. */
    static List<String> snippets(String readme) {
        List<String> found = new ArrayList<>();
        StringBuilder current = null;
        for (String line : readme.split("\n", -1)) {
            if (current == null && line.strip().equals("```java")) {
                current = new StringBuilder();
            } else if (current != null && line.strip().equals("```")) {
                found.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return found;
    }

    static String wrap(int n, String snippet) {
        return "package readme;\n"
                + "import io.ipckit.core.*;\nimport io.ipckit.pool.*;\nimport java.nio.file.*;\nimport java.time.*;\n"
                + "import java.util.*;\nimport java.util.concurrent.*;\nimport java.util.concurrent.locks.Lock;\n"
                + "class Snippet" + n + " {\n"
                + "    static String dir = \"/tmp\";\n    static String address = \"\";\n"
                + "    static List<Integer> hugeInput = List.of();\n"
                + "    static long heavyWork() { return 0; }\n    static void process(Object item) { }\n"
                + "    static void snippet() throws Exception {\n" + snippet + "    }\n}\n";
    }

    @Test
    void everyJavaSnippetOfTheReadmeCompiles() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<String> snippets = snippets(readme);
        assertTrue(snippets.size() >= 3, "the README's Channels, Manager and Pool snippets were found: " + snippets.size());
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            String code = wrap(i + 1, snippets.get(i));
            sources.add(new SimpleJavaFileObject(URI.create("string:///readme/Snippet" + (i + 1) + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            });
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean ok = javac.getTask(null, null, diagnostics,
                List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"), "-proc:none"),
                null, sources).call();
        String errors = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getSource().getName() + ":" + (d.getLineNumber() - 15) + " (snippet line): "
                        + d.getMessage(null))
                .collect(Collectors.joining("\n"));
        assertTrue(ok && errors.isEmpty(), "README snippets that do not compile:\n" + errors);
        assertTrue(Files.isRegularFile(out.resolve("readme").resolve("Snippet" + snippets.size() + ".class")),
                "each snippet compiled to a class");
    }
}
