package io.ipckit.samples.bench;

import io.ipckit.core.JvmLauncher;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first-contact figures' programs run as a user runs them, and their selection by {@code --only};
 * no figure is asserted (the machine's speed is not the code's).
 */
class FirstContactBenchTest extends LeakCheckingTest {

    @Test
    @Timeout(180)
    void helloProgram_asAPlainJvm_printsPythonThenTheAbsoluteValues() throws Exception {
        FirstContactBench.Run run = FirstContactBench.runHello();

        List<String> lines = run.stdout().stream().filter(l -> !l.isBlank()).collect(Collectors.toList());
        assertEquals(List.of("python", "[1, 2, 3]"), lines, "stderr:\n" + run.stderr());
        assertTrue(run.wallSeconds() > 0, "wall " + run.wallSeconds());
    }

    @Test
    void userCommand_plainJavaWithIpckitsFlagsAndClasspath_notTheLaunchersChildMain() {
        List<String> cmd = FirstContactBench.userCommand(ConnectProgram.class, "ipckit:/x#t");

        assertEquals(JvmLauncher.javaExecutable().toString(), cmd.get(0));
        assertEquals(JvmLauncher.requiredJvmFlags(), cmd.subList(1, 1 + JvmLauncher.requiredJvmFlags().size()),
                cmd.toString());
        int cp = cmd.indexOf("-cp");
        assertEquals(System.getProperty("java.class.path"), cmd.get(cp + 1));
        assertEquals(List.of(ConnectProgram.class.getName(), "ipckit:/x#t"), cmd.subList(cp + 2, cmd.size()));
        assertFalse(cmd.stream().anyMatch(a -> a.contains("ChildMain") || a.contains("parent")), cmd.toString());
    }

    @Test
    void only_selectsTheFirstContactFiguresByTheirPrefixes() {
        assertTrue(ChannelBench.selected("", "hello.wall", "hello.cpu"));
        assertTrue(ChannelBench.selected("hello", "hello.wall", "hello.cpu"));
        assertTrue(ChannelBench.selected("manager.connect", "manager.connect"));
        assertTrue(ChannelBench.selected("manager", "manager.connect"));
        assertFalse(ChannelBench.selected("pool", "hello.wall", "hello.cpu"));
        assertFalse(ChannelBench.selected("pool", "manager.connect"));
        assertFalse(ChannelBench.selected("manager.connect", "manager.map.put", "manager.lock.pairs"));
        assertFalse(ChannelBench.selected("hello", "manager.connect"));
    }

    @Test
    void childrenCpuTicks_onLinux_countsTicks() {
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/stat"))) {
            assertTrue(FirstContactBench.childrenCpuTicks() >= 0);
            assertTrue(FirstContactBench.clockTicksPerSecond() > 0);
        }
    }
}
