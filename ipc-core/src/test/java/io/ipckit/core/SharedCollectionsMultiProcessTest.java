package io.ipckit.core;

import io.ipckit.core.test.Children;
import io.ipckit.core.test.CollectionChildMain;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.ipckit.core.test.HandleChildMain.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Read-modify-write operations of maps and lists stay atomic while other JVMs change the same object. */
@Timeout(60)
class SharedCollectionsMultiProcessTest extends LeakCheckingTest {
    @TempDir
    Path work;

    @Test
    void listRemoveIf_whileAnotherJvmAppends_losesNoAppend() throws Exception {
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            SharedList<Integer> list = m.list("numbers");
            Process p = children.start(CollectionChildMain.class, "list-add", encode(list));
            while (p.isAlive()) {
                list.removeIf(i -> i % 2 == 1);
            }
            assertEquals(0, children.await(p, 50), children.logOf(p));
            list.removeIf(i -> i % 2 == 1);
            assertEquals(IntStream.rangeClosed(1, 150).map(i -> 2 * i).boxed().collect(Collectors.toList()), list,
                    "every append of the other JVM survived the concurrent removeIf, in order");
        }
    }

    @Test
    void mapMerge_fromTwoJvms_countsEveryCall() throws Exception {
        try (Manager m = Manager.start(); Children children = new Children(work)) {
            SharedMap<String, Integer> map = m.map("merged");
            List<Process> ps = List.of(
                    children.start(CollectionChildMain.class, "map-merge", encode(map)),
                    children.start(CollectionChildMain.class, "map-merge", encode(map)));
            for (Process p : ps) {
                assertEquals(0, children.await(p, 50), children.logOf(p));
            }
            assertEquals(400, map.get("n"));
        }
    }
}
