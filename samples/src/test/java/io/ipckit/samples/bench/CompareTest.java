package io.ipckit.samples.bench;

import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logic of {@code bench --compare}: parsing, the ratio's direction, the table, a missing python3. */
class CompareTest extends LeakCheckingTest {

    @Test
    void parse_metricLine_nameValueUnit() {
        Compare.Metric m = Compare.parse("METRIC pool.map.throughput 4.8439e+06 tasks/s").orElseThrow();
        assertEquals("pool.map.throughput", m.name());
        assertEquals(4_843_900.0, m.value(), 1e-6);
        assertEquals("tasks/s", m.unit());
    }

    @Test
    void parse_otherLines_empty() {
        assertEquals(Optional.empty(), Compare.parse("# CPython 3.11.7, 2 CPUs, quick=True"));
        assertEquals(Optional.empty(), Compare.parse("METRIC queue.rtt.p50 fast us"));
        assertEquals(Optional.empty(), Compare.parse("METRIC queue.rtt.p50 1.5"));
        assertEquals(Optional.empty(), Compare.parse(""));
    }

    @Test
    void advantage_throughput_ipckitOverCpython() {
        assertEquals(4.0, Compare.advantage(metric("x", 400, "ops/s"), metric("x", 100, "ops/s")), 1e-9);
        assertEquals(2.0, Compare.advantage(metric("s", 1.98, "x"), metric("s", 0.99, "x")), 1e-9);
    }

    @Test
    void advantage_latencyTimeAndCpu_cpythonOverIpckit() {
        assertEquals(10.0, Compare.advantage(metric("r", 15, "us"), metric("r", 150, "us")), 1e-9);
        assertEquals(0.25, Compare.advantage(metric("t", 0.2, "s"), metric("t", 0.05, "s")), 1e-9);
        assertEquals(3.0, Compare.advantage(metric("c", 0.5, "%"), metric("c", 1.5, "%")), 1e-9);
    }

    @Test
    void table_figuresOfBothSides_oneRowEachWithRatioOrDash() {
        Map<String, Compare.Metric> ipckit = new LinkedHashMap<>();
        put(ipckit, metric("queue.throughput", 2_000_000, "msg/s"));
        put(ipckit, metric("queue.rtt.p50", 2, "us"));
        put(ipckit, metric("chronicle.raw.throughput", 3_000_000, "msg/s"));
        Map<String, Compare.Metric> cpython = new LinkedHashMap<>();
        put(cpython, metric("queue.throughput.manager_queue", 20_000, "msg/s"));
        put(cpython, metric("queue.throughput.mp_queue", 200_000, "msg/s"));
        put(cpython, metric("queue.rtt.p50", 150, "us"));
        put(cpython, metric("only.in.python", 7, "ops/s"));

        List<String> rows = Compare.table(ipckit, cpython);

        assertEquals(6, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(0).startsWith("figure"), rows.get(0));
        assertRow(rows, "queue.throughput vs queue.throughput.mp_queue", "10.00x");
        assertRow(rows, "queue.throughput vs queue.throughput.manager_queue", "100.00x");
        assertRow(rows, "queue.rtt.p50", "75.00x");
        assertTrue(row(rows, "chronicle.raw.throughput").endsWith("-"), row(rows, "chronicle.raw.throughput"));
        assertTrue(row(rows, "only.in.python").contains("7.00"), row(rows, "only.in.python"));
    }

    @Test
    void table_firstContactFigures_ratioIsCpythonOverIpckit() {
        Map<String, Compare.Metric> ipckit = new LinkedHashMap<>();
        put(ipckit, metric("hello.wall", 3, "s"));
        put(ipckit, metric("hello.cpu", 8, "s"));
        put(ipckit, metric("manager.connect", 0.5, "s"));
        Map<String, Compare.Metric> cpython = new LinkedHashMap<>();
        put(cpython, metric("hello.wall", 0.3, "s"));
        put(cpython, metric("hello.cpu", 0.16, "s"));
        put(cpython, metric("manager.connect", 0.25, "s"));

        List<String> rows = Compare.table(ipckit, cpython);

        assertEquals(4, rows.size(), String.join("\n", rows));
        assertRow(rows, "hello.wall", "0.10x");
        assertRow(rows, "hello.cpu", "0.02x");
        assertRow(rows, "manager.connect", "0.50x");
    }

    @Test
    void findPython_notOnPath_empty(@TempDir Path empty) {
        assertEquals(Optional.empty(), Compare.findPython(empty.toString()));
        assertEquals(Optional.empty(), Compare.findPython(""));
        assertEquals(Optional.empty(), Compare.findPython(null));
    }

    @Test
    void findPython_executableOnPath_found(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("python3");
        Files.writeString(fake, "#!/bin/sh\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(Optional.of(fake), Compare.findPython("/nonexistent-dir:" + dir));
    }

    @Test
    void run_pythonMissing_printsNoteAndNoTable(@TempDir Path empty) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, Compare.Metric> ipckit = Map.of("queue.rtt.p50", metric("queue.rtt.p50", 2, "us"));

        Map<String, Compare.Metric> cpython;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            cpython = Compare.run(empty.toString(), List.of("--quick"), ipckit, out);
        }

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(cpython.isEmpty());
        assertTrue(printed.contains("skipped, python3 is not on the PATH"), printed);
        assertFalse(printed.contains("ratio"), "no table: " + printed);
    }

    @Test
    void script_packagedNextToCompare() throws Exception {
        try (var in = Compare.class.getResourceAsStream(Compare.SCRIPT)) {
            assertNotNull(in, Compare.SCRIPT + " is a resource of the samples jar");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.contains("\"pool.apply.rtt.p50\""), "the counterpart prints the suite's names");
        }
    }

    private static Compare.Metric metric(String name, double value, String unit) {
        return new Compare.Metric(name, value, unit);
    }

    private static void put(Map<String, Compare.Metric> map, Compare.Metric m) {
        map.put(m.name(), m);
    }

    private static String row(List<String> rows, String label) {
        return rows.stream().filter(r -> r.startsWith(label + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + label + " in\n" + String.join("\n", rows)));
    }

    private static void assertRow(List<String> rows, String label, String ratio) {
        String r = row(rows, label);
        assertTrue(r.endsWith(ratio), r + " ends with " + ratio);
    }
}
